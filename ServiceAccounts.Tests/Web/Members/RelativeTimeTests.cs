using ServiceAccounts.Web.Components.Shared;

namespace ServiceAccounts.Tests.Web.Members;

public sealed class RelativeTimeTests
{
    private static readonly DateTime Now = new(2026, 11, 2, 9, 30, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(0, "just now")]
    [InlineData(59, "just now")]
    [InlineData(60, "1 minute ago")]
    [InlineData(3 * 3600 + 59, "3 hours ago")]
    [InlineData(86400, "1 day ago")]
    [InlineData(45 * 86400, "1 month ago")]
    [InlineData(800 * 86400, "2 years ago")]
    [InlineData(-2 * 86400, "in 2 days")]
    public void Describe_SecondsBeforeNow_ReadsAsPeopleSayIt(int secondsAgo, string expected) =>
        RelativeTime.Describe(Now.AddSeconds(-secondsAgo), Now).Should().Be(expected);

    [Fact]
    public void Describe_NoTime_IsNever() => RelativeTime.Describe(null, Now).Should().Be("Never");

    [Fact]
    public void Exact_UnspecifiedKindFromTheDatabase_IsReadAsUtc() =>
        RelativeTime.Exact(new DateTime(2026, 11, 2, 6, 5, 9, DateTimeKind.Unspecified)).Should().Be("2026-11-02 06:05:09 UTC");
}
