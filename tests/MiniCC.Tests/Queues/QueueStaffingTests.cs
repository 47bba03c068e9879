using MiniCC.Emulator;
using MiniCC.Operators;
using MiniCC.Tests.EndToEnd;
using Microsoft.Extensions.DependencyInjection;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Queues;

/// <summary>
/// "Is anybody there" is asked of the caller's queue: an operator who serves only another queue does not count, so a
/// caller for support hears at once that nobody can answer (and is offered a message) while only the English team is in.
/// </summary>
public sealed class QueueStaffingTests
{
    [Fact]
    public async Task AnOperatorOfAnotherQueueOnlyDoesNotCountAsSomeoneToAnswer()
    {
        using var center = CallCenter.Open("sqlite", new()
        {
            ["MiniCC:Voicemail:Enabled"] = "true",
            ["MiniCC:Queues:0:Name"] = "support",
            ["MiniCC:Queues:1:Name"] = "english",
        });
        await center.AddOperatorAsync(OperatorPhone, "Smith");
        var smith = await center.App.Operators.FindAsync(OperatorPhone, default);
        await center.App.Services.GetRequiredService<OperatorSkills>().SetAsync(smith!.Id, [new Skill("english", 5)], default);
        await center.Twilio.DialAsync(OperatorPhone);
        await center.Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));

        var caller = await center.Twilio.DialAsync(Customer);
        await caller.PressAsync("1");
        await center.Twilio.AdvanceAsync(TimeSpan.FromSeconds(8));
        Assert.Contains("ただいま対応できるオペレーターがおりません。", caller.Heard);
        Assert.False(caller.Truth.Queued);

        // An operator without skills serves every queue: now the next caller is queued for them.
        await center.AddOperatorAsync(SecondOperatorPhone, "Sato");
        var sato = await center.Twilio.DialAsync(SecondOperatorPhone);
        await center.Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        var next = await center.Twilio.DialAsync("+819077778888");
        await next.PressAsync("1");
        await center.Twilio.AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.DoesNotContain("ただいま対応できるオペレーターがおりません。", next.Heard);
        Assert.Same(sato, next.ConnectedTo);
        Assert.Empty(center.Twilio.ApplicationErrors);
    }
}
