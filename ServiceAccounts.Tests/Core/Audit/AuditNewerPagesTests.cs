using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Audit;

/// <summary>
/// PreviousCursor: the way back up from any page, also from a page opened by its cursor alone (a shared or reloaded
/// address), with no memory of how it was reached.
/// </summary>
public sealed class AuditNewerPagesTests
{
    private const int Updates = 12;

    [Fact]
    public async Task QueryAsync_FirstPage_HasNoPreviousCursor()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await HistoryAsync(host);

        // Act
        var first = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Limit: 4)));

        // Assert
        first.PreviousCursor.Should().BeNull();
        first.NextCursor.Should().NotBeNull();
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task QueryAsync_FollowingPreviousCursorsFromTheLastPage_ReturnsThePagesOfTheWayDownInReverse(int limit)
    {
        // Arrange: walk down to the last page, remembering every page.
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await HistoryAsync(host);
        var down = new List<AuditPage>();
        string? cursor = null;
        do
        {
            var page = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Limit: limit, Cursor: cursor)));
            down.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        // Act: back up from the last page by its cursor alone.
        var up = new List<AuditPage> { down[^1] };
        while (up[^1].PreviousCursor is { } previous)
        {
            up.Add(CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Limit: limit, Cursor: previous))));
        }

        // Assert
        up.Select(p => p.Items.Select(r => r.Id).ToList()).Should().BeEquivalentTo(
            Enumerable.Reverse(down).Select(p => p.Items.Select(r => r.Id).ToList()), options => options.WithStrictOrdering());
        up[^1].PreviousCursor.Should().BeNull("the top page going up is the newest page");
        up.Skip(1).Should().OnlyContain(p => p.NextCursor != null);
    }

    [Fact]
    public async Task QueryAsync_PreviousCursorWithAFilter_KeepsToTheFilter()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await HistoryAsync(host);
        var query = new AuditQuery(Actions: [AuditActions.ServiceAccountUpdate], Limit: 3);
        var first = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, query));
        var second = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, query with { Cursor = first.NextCursor }));

        // Act
        var back = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, query with { Cursor = second.PreviousCursor }));

        // Assert
        second.Items.Should().OnlyContain(r => r.ActionType == AuditActions.ServiceAccountUpdate);
        back.Items.Select(r => r.Id).Should().Equal(first.Items.Select(r => r.Id));
        back.PreviousCursor.Should().BeNull();
    }

    [Fact]
    public async Task QueryAsync_PreviousCursorAfterNewRecordsArrived_ShowsThePageJustAboveAndStillLeadsToThem()
    {
        // Arrange: a second page is opened, then three records arrive at the top.
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await HistoryAsync(host);
        var first = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Limit: 4)));
        var second = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Limit: 4, Cursor: first.NextCursor)));
        for (var i = 0; i < 3; i++)
        {
            var account = CoreHost.Must(await host.Accounts.GetAsync(owner, org, handle));
            CoreHost.Must(await host.Accounts.UpdateAsync(owner, org, handle, new ServiceAccountChanges($"Later {i}", null), account.Version));
        }

        // Act
        var above = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Limit: 4, Cursor: second.PreviousCursor)));

        // Assert: the four records right above the second page, and a way further up to the new ones.
        above.Items.Select(r => r.Id).Should().Equal(first.Items.Select(r => r.Id));
        above.PreviousCursor.Should().NotBeNull();
        var top = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Limit: 4, Cursor: above.PreviousCursor)));
        top.Items.Should().HaveCount(3).And.OnlyContain(r => r.Id > first.Items[0].Id);
        top.PreviousCursor.Should().BeNull();
    }

    [Fact]
    public async Task QueryAsync_PreviousCursorAtTheTop_ReturnsTheNewestPage()
    {
        // Arrange: a "newer than the newest record" cursor, as a stale address could hold.
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await HistoryAsync(host);
        var newest = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Limit: 4)));

        // Act
        var page = CoreHost.Must(await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Limit: 4, Cursor: AuditLog.EncodeCursor(newest.Items[0].Id, newer: true))));

        // Assert
        page.Items.Select(r => r.Id).Should().Equal(newest.Items.Select(r => r.Id));
        page.PreviousCursor.Should().BeNull();
    }

    [Theory]
    [InlineData("v1n:")]
    [InlineData("v1n:-3")]
    [InlineData("v1n:abc")]
    [InlineData("v2:12")]
    public async Task QueryAsync_MalformedCursor_IsInvalid(string text)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await HistoryAsync(host);
        var cursor = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        // Act
        var result = await host.Audit.QueryAsync(owner, org, handle, new AuditQuery(Cursor: cursor));

        // Assert
        result.Status.Should().Be(ServiceAccounts.Core.Common.ResultStatus.Invalid);
        result.Message.Should().Contain("page token is not valid");
    }

    private static async Task<(Actor Owner, EntityRef Org, string Handle)> HistoryAsync(CoreHost host)
    {
        var owner = await host.UserAsync("ada");
        var org = await host.OrgAsync(owner, "newer-org");
        var account = await host.AccountAsync(owner, org, "Deploy Bot");
        for (var i = 1; i <= Updates; i++)
        {
            host.Clock.Advance(TimeSpan.FromMinutes(5));
            account = CoreHost.Must(await host.Accounts.UpdateAsync(owner, org, account.Handle, new ServiceAccountChanges($"Deploy Bot v{i}", null), account.Version));
        }
        return (owner, org, account.Handle);
    }
}
