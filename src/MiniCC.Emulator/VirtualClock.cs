namespace MiniCC.Emulator;

/// <summary>
/// The emulator's time. The app under test is given this clock as its <see cref="TimeProvider"/>, so the
/// times it stores are the simulated ones. Only the emulator moves it; it never goes back.
/// </summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    internal void MoveTo(DateTimeOffset t)
    {
        if (t.UtcTicks > Interlocked.Read(ref _ticks))
        {
            Interlocked.Exchange(ref _ticks, t.UtcTicks);
        }
    }
}
