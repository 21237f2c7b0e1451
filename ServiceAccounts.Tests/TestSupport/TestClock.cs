namespace ServiceAccounts.Tests.TestSupport;

/// <summary>A clock tests move by hand.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    public TestClock()
        : this(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero))
    {
    }

    public DateTimeOffset Now { get; private set; } = start;

    public DateTime UtcNow => Now.UtcDateTime;

    public void Advance(TimeSpan by) => Now += by;

    public override DateTimeOffset GetUtcNow() => Now;
}
