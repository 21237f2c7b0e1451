using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Audit;

/// <summary>A service account's Audit Log: keyset pages, newest first, with filters.</summary>
public sealed class AuditQueryTests
{
    private const int Updates = 11;

    [Fact]
    public async Task QueryAsync_FollowingCursors_ReturnsEveryRecordOnceNewestFirst()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);
        var everything = CoreHost.Must(await host.Audit.QueryAsync(history.Owner, history.Org, history.Handle, new AuditQuery(Limit: 100)));
        var pages = new List<AuditPage>();
        string? cursor = null;

        // Act
        do
        {
            var page = CoreHost.Must(await host.Audit.QueryAsync(history.Owner, history.Org, history.Handle, new AuditQuery(Limit: 5, Cursor: cursor)));
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null && pages.Count < 20);

        // Assert
        everything.Items.Should().HaveCount(1 + Updates + 1);
        everything.NextCursor.Should().BeNull();
        pages.Select(p => p.Items.Count).Should().Equal(5, 5, 3);
        var walked = pages.SelectMany(p => p.Items).ToList();
        walked.Select(r => r.Id).Should().OnlyHaveUniqueItems().And.BeInDescendingOrder();
        walked.Select(r => r.Id).Should().Equal(everything.Items.Select(r => r.Id));
        walked[^1].ActionType.Should().Be(AuditActions.ServiceAccountCreate);
    }

    [Fact]
    public async Task QueryAsync_LimitEqualToRecordCount_HasNoNextCursor()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);

        // Act
        var page = CoreHost.Must(await host.Audit.QueryAsync(history.Owner, history.Org, history.Handle, new AuditQuery(Limit: 1 + Updates + 1)));

        // Assert
        page.Items.Should().HaveCount(1 + Updates + 1);
        page.NextCursor.Should().BeNull();
    }

    [Fact]
    public async Task QueryAsync_ActionFilter_ReturnsOnlyThoseActions()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);

        // Act
        var page = CoreHost.Must(await host.Audit.QueryAsync(history.Owner, history.Org, history.Handle,
            new AuditQuery(Actions: [AuditActions.ServiceAccountCreate, AuditActions.ServiceAccountRoleUpdate], Limit: 100)));

        // Assert
        page.Items.Select(r => r.ActionType).Should().Equal(AuditActions.ServiceAccountRoleUpdate, AuditActions.ServiceAccountCreate);
    }

    [Fact]
    public async Task QueryAsync_ActorFilter_ReturnsOnlyThatActorsRecords()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);

        // Act
        var page = CoreHost.Must(await host.Audit.QueryAsync(history.Owner, history.Org, history.Handle, new AuditQuery(Actor: history.SecondOwner.Handle, Limit: 100)));

        // Assert
        page.Items.Should().ContainSingle().Which.Should().Match<AuditRecordView>(r =>
            r.ActionType == AuditActions.ServiceAccountRoleUpdate && r.ActorId == history.SecondOwner.Id);
    }

    [Fact]
    public async Task QueryAsync_FromAndTo_ReturnsOnlyRecordsInBetween()
    {
        // Arrange: the updates happened one hour apart, from one hour after the creation.
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);
        var from = history.CreatedAt.AddHours(2).AddMinutes(-30);
        var to = history.CreatedAt.AddHours(5).AddMinutes(-30);

        // Act
        var page = CoreHost.Must(await host.Audit.QueryAsync(history.Owner, history.Org, history.Handle, new AuditQuery(From: from, To: to, Limit: 100)));

        // Assert
        page.Items.Select(r => r.CreatedAt).Should().Equal(history.CreatedAt.AddHours(4), history.CreatedAt.AddHours(3), history.CreatedAt.AddHours(2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-1)]
    public async Task QueryAsync_LimitOutOfRange_IsInvalid(int limit)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);

        // Act
        var result = await host.Audit.QueryAsync(history.Owner, history.Org, history.Handle, new AuditQuery(Limit: limit));

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors.Should().ContainKey("limit");
        result.Message.Should().Contain("between 1 and 100");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("!!!")]
    [InlineData("djE6LTU")]
    public async Task QueryAsync_GarbageCursor_IsInvalid(string cursor)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);

        // Act
        var result = await host.Audit.QueryAsync(history.Owner, history.Org, history.Handle, new AuditQuery(Cursor: cursor));

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors.Should().ContainKey("next_token");
    }

    [Fact]
    public async Task QueryAsync_UnknownAction_IsInvalid()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);

        // Act
        var result = await host.Audit.QueryAsync(history.Owner, history.Org, history.Handle, new AuditQuery(Actions: ["token.steal"]));

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors.Should().ContainKey("action");
    }

    [Fact]
    public async Task QueryAsync_OtherAccountsRecords_AreNotIncluded()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);
        var other = await host.AccountAsync(history.Owner, history.Org, "Other Bot");

        // Act
        var page = CoreHost.Must(await host.Audit.QueryAsync(history.Owner, history.Org, other.Handle, new AuditQuery(Limit: 100)));

        // Assert
        page.Items.Should().ContainSingle().Which.IdentityId.Should().Be(other.Id);
    }

    private sealed record History(Actor Owner, Actor SecondOwner, EntityRef Org, string Handle, DateTime CreatedAt);

    /// <summary>
    /// Created at T by the owner, then <see cref="Updates"/> title changes at T+1h … T+11h, then a role change
    /// by a second owner at T+12h: 13 records whose identity is the account.
    /// </summary>
    private static async Task<History> HistoryAsync(CoreHost host)
    {
        var owner = await host.UserAsync("ada");
        var second = await host.UserAsync("bob");
        var org = await host.OrgAsync(owner, "audit-org");
        await host.AddMemberAsync(org, second, Role.Owner);
        var createdAt = host.Clock.UtcNow;
        var account = await host.AccountAsync(owner, org, "Deploy Bot");
        for (var i = 1; i <= Updates; i++)
        {
            host.Clock.Advance(TimeSpan.FromHours(1));
            account = CoreHost.Must(await host.Accounts.UpdateAsync(owner, org, account.Handle, new ServiceAccountChanges($"Deploy Bot v{i}", null), account.Version));
        }
        host.Clock.Advance(TimeSpan.FromHours(1));
        CoreHost.Must(await host.Accounts.ChangeRoleAsync(second, org, account.Handle, Role.Owner));
        return new History(owner, second, org, account.Handle, createdAt);
    }
}
