using Microsoft.Extensions.Options;
using MiniCC.Storage;

namespace MiniCC.Reports;

/// <summary>
/// What is happening now: the wallboard (<c>LiveQuery.Wallboard.cs</c>). It reads only open rows through their indexes
/// and today's visits; it never scans the history. Single calls (list, search, timeline) are <see cref="CallQuery"/>'s.
/// </summary>
public sealed partial class LiveQuery(Database database, ReportQuery reports, IOptions<ReportOptions> options, TimeProvider time);
