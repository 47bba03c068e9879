using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace MiniCC.Hours;

/// <summary>A day off by Japan's national holidays act: its date and its name in Japanese and English.</summary>
public sealed record Holiday(DateOnly Date, string Ja, string En)
{
    public string Name(bool japanese) => japanese ? Ja : En;
}

/// <summary>
/// Japan's national holidays (国民の祝日に関する法律), computed from the act's rules: fixed days, Happy Monday days,
/// the equinoxes, the substitute holiday (振替休日) and the citizens' holiday (国民の休日), and the one-off days of
/// 2019–2021. Computed rather than taken from NuGet because no package available here gets Japan right: PublicHoliday
/// moves a Sunday holiday to Monday instead of keeping both and misses 国民の休日 (2026-09-22); Nager.Date needs a
/// sponsor's licence key and misses 国民の休日 and the substitute for an equinox (2027-03-22); ShukujitsuSharp is right
/// but not served by our package mirror. The tests hold every day of 2025–2027 against the Cabinet Office's list.
/// </summary>
public static class JapaneseHolidays
{
    /// <summary>The years the rules below describe (the equinox formula holds to 2099); other years have no holidays here.</summary>
    public const int FirstYear = 2000;

    public const int LastYear = 2099;

    private static readonly ConcurrentDictionary<int, FrozenDictionary<DateOnly, Holiday>> Years = new();

    /// <summary>The holiday on <paramref name="date"/>, or null.</summary>
    public static Holiday? Find(DateOnly date) => Of(date.Year).GetValueOrDefault(date);

    /// <summary>Every holiday of <paramref name="year"/>, in date order.</summary>
    public static IReadOnlyList<Holiday> In(int year) => [.. Of(year).Values.OrderBy(h => h.Date)];

    private static FrozenDictionary<DateOnly, Holiday> Of(int year) => Years.GetOrAdd(year, Compute);

    private static FrozenDictionary<DateOnly, Holiday> Compute(int year)
    {
        if (year is < FirstYear or > LastYear)
        {
            return FrozenDictionary<DateOnly, Holiday>.Empty;
        }

        // Art. 2: the national holidays themselves (国民の祝日). Art. 3's days off are derived from these only.
        var days = new Dictionary<DateOnly, Holiday>();
        void Add(DateOnly d, string ja, string en) => days[d] = new Holiday(d, ja, en);
        DateOnly On(int month, int day) => new(year, month, day);

        Add(On(1, 1), "元日", "New Year's Day");
        Add(NthMonday(year, 1, 2), "成人の日", "Coming of Age Day");
        Add(On(2, 11), "建国記念の日", "National Foundation Day");
        if (year >= 2020)
        {
            Add(On(2, 23), "天皇誕生日", "Emperor's Birthday");
        }
        else if (year <= 2018)
        {
            Add(On(12, 23), "天皇誕生日", "Emperor's Birthday");
        }

        Add(On(3, VernalEquinoxDay(year)), "春分の日", "Vernal Equinox Day");
        if (year >= 2007)
        {
            Add(On(4, 29), "昭和の日", "Showa Day");
            Add(On(5, 4), "みどりの日", "Greenery Day");
        }
        else
        {
            Add(On(4, 29), "みどりの日", "Greenery Day");
        }

        Add(On(5, 3), "憲法記念日", "Constitution Memorial Day");
        Add(On(5, 5), "こどもの日", "Children's Day");
        Add(year switch { 2020 => On(7, 23), 2021 => On(7, 22), < 2003 => On(7, 20), _ => NthMonday(year, 7, 3) }, "海の日", "Marine Day");
        if (year >= 2016)
        {
            Add(year switch { 2020 => On(8, 10), 2021 => On(8, 8), _ => On(8, 11) }, "山の日", "Mountain Day");
        }

        Add(year < 2003 ? On(9, 15) : NthMonday(year, 9, 3), "敬老の日", "Respect for the Aged Day");
        Add(On(9, AutumnalEquinoxDay(year)), "秋分の日", "Autumnal Equinox Day");
        if (year >= 2020)
        {
            Add(year switch { 2020 => On(7, 24), 2021 => On(7, 23), _ => NthMonday(year, 10, 2) }, "スポーツの日", "Sports Day");
        }
        else
        {
            Add(NthMonday(year, 10, 2), "体育の日", "Health and Sports Day");
        }

        Add(On(11, 3), "文化の日", "Culture Day");
        Add(On(11, 23), "勤労感謝の日", "Labor Thanksgiving Day");
        if (year == 2019)
        {
            // The enthronement's special act made these two days national holidays for 2019 only.
            Add(On(5, 1), "天皇の即位の日", "Enthronement Day");
            Add(On(10, 22), "即位礼正殿の儀の行われる日", "Enthronement Ceremony Day");
        }

        var national = days.Keys.ToHashSet();
        var offDays = new List<Holiday>();

        // Art. 3(2): a national holiday on a Sunday makes the nearest following day that is no national holiday a day
        // off (since 2007; before, only the next day, which was then never a national holiday).
        foreach (var sunday in national.Where(d => d.DayOfWeek == DayOfWeek.Sunday))
        {
            var off = sunday.AddDays(1);
            while (year >= 2007 && national.Contains(off))
            {
                off = off.AddDays(1);
            }

            if (!national.Contains(off))
            {
                offDays.Add(new Holiday(off, "休日（振替休日）", "Substitute holiday"));
            }
        }

        // Art. 3(3): a day between two national holidays is a day off (before 2007, unless a Sunday or already off).
        foreach (var day in national)
        {
            var between = day.AddDays(1);
            if (national.Contains(day.AddDays(2)) && !national.Contains(between)
                && (year >= 2007 || (between.DayOfWeek != DayOfWeek.Sunday && offDays.All(o => o.Date != between))))
            {
                offDays.Add(new Holiday(between, "休日（国民の休日）", "Citizens' holiday"));
            }
        }

        foreach (var off in offDays)
        {
            days.TryAdd(off.Date, off);
        }

        return days.ToFrozenDictionary();
    }

    /// <summary>The <paramref name="n"/>th Monday of a month (Happy Monday days).</summary>
    private static DateOnly NthMonday(int year, int month, int n)
    {
        var first = new DateOnly(year, month, 1);
        var toMonday = ((int)DayOfWeek.Monday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(toMonday + (7 * (n - 1)));
    }

    /// <summary>
    /// 春分日 in March. The act names no date: the National Astronomical Observatory publishes next year's in February.
    /// This is the formula in common use for 1980–2099, which agrees with every published day so far.
    /// </summary>
    private static int VernalEquinoxDay(int year) => Equinox(20.8431, year);

    /// <summary>秋分日 in September, by the same formula.</summary>
    private static int AutumnalEquinoxDay(int year) => Equinox(23.2488, year);

    private static int Equinox(double day, int year) =>
        (int)Math.Floor(day + (0.242194 * (year - 1980)) - Math.Floor((year - 1980) / 4.0));
}
