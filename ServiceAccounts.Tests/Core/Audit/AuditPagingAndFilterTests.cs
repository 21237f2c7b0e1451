using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Audit;

/// <summary>
/// The Audit Log query beyond single filters: keyset pages while records keep arriving, every filter holding
/// together (with and without a cursor), the token filter, the export against the pages, and the chain
/// fields (hash, prev_hash) each record carries.
/// </summary>
public sealed class AuditPagingAndFilterTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    // ---- keyset paging while records arrive ----

    [Fact]
    public async Task QueryAsync_RecordsAppendedBetweenPages_ReturnsEveryEarlierRecordExactlyOnce()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);
        var existing = await StoredIdsAsync(host, history.AccountId);
        var version = CoreHost.Must(await host.Accounts.GetAsync(history.Ada, history.Org, history.Handle)).Version;
        var tokenActive = true;
        var appended = 0;
        var pages = new List<AuditPage>();
        string? cursor = null;

        // Act: after every page, one more record about the account, through the real services.
        do
        {
            var page = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, new AuditQuery(Limit: 4, Cursor: cursor)));
            pages.Add(page);
            cursor = page.NextCursor;
            host.Clock.Advance(TimeSpan.FromMinutes(1));
            switch (pages.Count % 3)
            {
                case 0:
                    version = CoreHost.Must(await host.Accounts.UpdateAsync(history.Ada, history.Org, history.Handle, new ServiceAccountChanges($"Deploy Bot p{pages.Count}", null), version)).Version;
                    break;
                case 1:
                    CoreHost.Must(await host.Audit.RecordApiRequestAsync(history.TokenB, "GET", "/api/v0/actor", 200));
                    break;
                default:
                    CoreHost.Must(tokenActive
                        ? await host.Tokens.DeactivateAsync(history.Bob, history.Org, history.Handle, history.TokenAId)
                        : await host.Tokens.ActivateAsync(history.Bob, history.Org, history.Handle, history.TokenAId));
                    tokenActive = !tokenActive;
                    break;
            }
            appended++;
        }
        while (cursor is not null && pages.Count < 50);

        // Assert
        var walked = pages.SelectMany(p => p.Items).Select(r => r.Id).ToList();
        walked.Should().OnlyHaveUniqueItems().And.BeInDescendingOrder().And.Equal(existing, "the pages hold the log as it was when the first page was read");
        pages.Should().HaveCountGreaterThan(3);
        var stored = await StoredIdsAsync(host, history.AccountId);
        var arrived = stored.Except(existing).ToList();
        arrived.Should().HaveCount(appended).And.OnlyContain(id => id > existing[0]);
        var fresh = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, new AuditQuery(Limit: appended)));
        fresh.Items.Select(r => r.Id).Should().Equal(arrived, "a fresh first page starts with the records that arrived while paging");
    }

    [Fact]
    public async Task QueryAsync_RecordsAppendedConcurrently_ReturnsTheLogAsOfTheFirstPageExactlyOnce()
    {
        // Arrange: a writer of its own appends api.request records and title changes until told to stop.
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);
        var written = 0;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var version = CoreHost.Must(await host.Accounts.GetAsync(history.Ada, history.Org, history.Handle)).Version;
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                if (i % 4 == 3)
                {
                    version = CoreHost.Must(await host.Accounts.UpdateAsync(history.Ada, history.Org, history.Handle, new ServiceAccountChanges($"Deploy Bot c{i}", null), version)).Version;
                }
                else
                {
                    CoreHost.Must(await host.Audit.RecordApiRequestAsync(history.TokenA, "GET", "/api/v0/actor", 200));
                }
                Interlocked.Increment(ref written);
            }
        });
        await WaitUntilAsync(() => Volatile.Read(ref written) > 0, writer);
        var pages = new List<AuditPage>();

        // Act
        var before = await StoredIdsAsync(host, history.AccountId);
        var first = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, new AuditQuery(Limit: 3)));
        var after = await StoredIdsAsync(host, history.AccountId);
        pages.Add(first);
        var cursor = first.NextCursor;
        // Only a guard against a cursor that never ends: on a slow machine the writer may have added hundreds of
        // records before the first page, and every one of them must still be walked.
        while (cursor is not null && pages.Count < 10_000)
        {
            // The writer runs freely; waiting for its next record only makes sure one lands between every two pages.
            var seen = Volatile.Read(ref written);
            await WaitUntilAsync(() => Volatile.Read(ref written) > seen, writer);
            var page = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, new AuditQuery(Limit: 3, Cursor: cursor)));
            pages.Add(page);
            cursor = page.NextCursor;
        }
        await stop.CancelAsync();
        await writer;

        // Assert
        var walked = pages.SelectMany(p => p.Items).Select(r => r.Id).ToList();
        walked.Should().OnlyHaveUniqueItems().And.BeInDescendingOrder();
        walked.Should().Contain(before, "nothing that was there before the first page may be missed");
        after.Should().Contain(walked, "nothing written after the first page may show up on a later page");
        var stored = await StoredIdsAsync(host, history.AccountId);
        var top = first.Items[0].Id;
        walked.Should().Equal(stored.Where(id => id <= top), "the pages hold the log as it was when the first page was read");
        var arrived = stored.Where(id => id > top).ToList();
        arrived.Should().NotBeEmpty("records kept arriving while the pages were read");
        var fresh = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, new AuditQuery(Limit: Math.Min(arrived.Count, AuditQuery.MaxLimit))));
        fresh.Items.Select(r => r.Id).Should().Equal(arrived.Take(AuditQuery.MaxLimit), "a fresh first page starts with the records that arrived while paging");
    }

    // ---- filters together ----

    public static TheoryData<string> Combinations =>
    [
        "action+actor", "actions+from/to", "token+action", "text+actor", "actor id+actions", "token actor+from", "all at once",
        "matching nothing", "text underscore", "text percent",
    ];

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task QueryAsync_FilterCombination_ReturnsWhatThePredicateSelectsFromTheFullLog(string combination)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);
        var everything = await WalkAsync(host, history, new AuditQuery(Limit: AuditQuery.MaxLimit));
        var (query, matchesSome) = Filters(combination, history);
        var expected = everything.Where(r => Matches(r, query)).Select(r => r.Id).ToList();

        // Act
        var page = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, query with { Limit = AuditQuery.MaxLimit }));

        // Assert
        (expected.Count > 0).Should().Be(matchesSome, "the history is built so that '{0}' {1}", combination, matchesSome ? "selects something" : "selects nothing");
        expected.Should().HaveCountLessThan(everything.Count, "every combination leaves records out");
        page.Items.Select(r => r.Id).Should().Equal(expected);
        page.NextCursor.Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task QueryAsync_FilterCombinationInPagesOfTwo_WalksWhatThePredicateSelectsFromTheFullLog(string combination)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);
        var everything = await WalkAsync(host, history, new AuditQuery(Limit: AuditQuery.MaxLimit));
        var (query, _) = Filters(combination, history);
        var expected = everything.Where(r => Matches(r, query)).Select(r => r.Id).ToList();
        var pages = new List<AuditPage>();
        string? cursor = null;

        // Act
        do
        {
            var page = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, query with { Limit = 2, Cursor = cursor }));
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null && pages.Count < 50);

        // Assert
        pages.SelectMany(p => p.Items).Select(r => r.Id).Should().Equal(expected);
        pages.Select(p => p.Items.Count).Should().Equal(PageSizes(expected.Count, 2), "every page but the last is full, and an empty log is one empty page");
    }

    [Fact]
    public async Task QueryAsync_NoMatchingCombination_EachFilterAloneMatches()
    {
        // Arrange: the combination that matches nothing must be empty because the filters hold together, not because one of them matches nothing.
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);
        var (query, _) = Filters("matching nothing", history);

        // Act
        var actionOnly = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, new AuditQuery(Actions: query.Actions, Limit: AuditQuery.MaxLimit)));
        var actorOnly = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, new AuditQuery(Actor: query.Actor, Limit: AuditQuery.MaxLimit)));
        var both = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, query));

        // Assert
        actionOnly.Items.Should().NotBeEmpty();
        actorOnly.Items.Should().NotBeEmpty();
        both.Items.Should().BeEmpty();
        both.NextCursor.Should().BeNull();
    }

    // ---- the token filter ----

    [Fact]
    public async Task QueryAsync_TokenIdOfTheFirstToken_ReturnsItsRequestsAndTheRecordsAboutIt()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);

        // Act
        var page = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, new AuditQuery(TokenId: history.TokenAId, Limit: AuditQuery.MaxLimit)));

        // Assert
        page.Items.Should().OnlyContain(r => r.TokenId == history.TokenAId);
        page.Items.Select(r => (r.ActionType, r.ActorId)).Should().Equal(
            (AuditActions.ApiRequest, history.AccountId),
            (AuditActions.TokenActivate, history.Ada.Id),
            (AuditActions.TokenAuthFailed, Actor.System.Id),
            (AuditActions.TokenDeactivate, history.Bob.Id),
            (AuditActions.ApiRequest, history.AccountId),
            (AuditActions.ApiRequest, history.AccountId),
            (AuditActions.TokenCreate, history.Ada.Id));
    }

    [Fact]
    public async Task QueryAsync_TokenIdOfTheSecondToken_ReturnsItsRequestsAndTheRecordsAboutIt()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);

        // Act
        var page = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, new AuditQuery(TokenId: history.TokenBId, Limit: AuditQuery.MaxLimit)));

        // Assert
        page.Items.Should().OnlyContain(r => r.TokenId == history.TokenBId);
        page.Items.Select(r => (r.ActionType, r.ActorId)).Should().Equal(
            (AuditActions.TokenUpdate, history.Ada.Id),
            (AuditActions.ApiRequest, history.AccountId),
            (AuditActions.ApiRequest, history.AccountId),
            (AuditActions.ApiRequest, history.AccountId),
            (AuditActions.TokenCreate, history.Bob.Id));
    }

    [Fact]
    public async Task QueryAsync_TokenIdPrefix_MatchesNothingWhereTheTextFilterMatches()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);
        var prefix = history.TokenAId[..8];

        // Act
        var byToken = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, new AuditQuery(TokenId: prefix, Limit: AuditQuery.MaxLimit)));
        var byText = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, new AuditQuery(Text: prefix, Limit: AuditQuery.MaxLimit)));

        // Assert
        byToken.Items.Should().BeEmpty("the token filter names one token exactly");
        byText.Items.Should().NotBeEmpty().And.OnlyContain(r => r.TokenId == history.TokenAId);
    }

    [Fact]
    public async Task QueryAsync_TokenIdOfAnotherAccountsToken_ReturnsNothing()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);
        var query = new AuditQuery(TokenId: history.OtherTokenId, Limit: AuditQuery.MaxLimit);

        // Act
        var page = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, query));

        // Assert
        page.Items.Should().BeEmpty();
        CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.OtherHandle, query)).Items.Should().NotBeEmpty("that token's records are in its own account's log");
    }

    // ---- the export against the pages ----

    public static TheoryData<string> ExportCombinations => ["none", "actions+from/to", "token+action", "text+actor", "all at once", "matching nothing"];

    [Theory]
    [MemberData(nameof(ExportCombinations))]
    public async Task ExportAsync_Filters_StreamsExactlyTheRecordsOfTheQueryPages(string combination)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);
        var (query, matchesSome) = Filters(combination, history);
        var paged = await WalkAsync(host, history, query with { Limit = 3 });

        // Act
        var exported = await CoreHost.Must(await host.Audit.ExportAsync(history.Ada, history.Org, history.Handle, query)).ToListAsync();

        // Assert: record equality compares every field, Hash and PrevHash included.
        (paged.Count > 0).Should().Be(matchesSome, "the history is built so that '{0}' {1}", combination, matchesSome ? "selects something" : "selects nothing");
        exported.Should().Equal(paged);
    }

    [Fact]
    public async Task ExportAsync_QueryWithLimitAndCursor_IgnoresThemAndStreamsEveryMatch()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);
        var all = await WalkAsync(host, history, new AuditQuery(Limit: AuditQuery.MaxLimit));
        var firstPage = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, new AuditQuery(Limit: 2)));

        // Act
        var exported = await CoreHost.Must(await host.Audit.ExportAsync(history.Ada, history.Org, history.Handle, new AuditQuery(Limit: 2, Cursor: firstPage.NextCursor))).ToListAsync();

        // Assert
        exported.Should().Equal(all);
    }

    [Fact]
    public async Task ExportAsync_FilterMatchingAcrossSeveralBatches_StreamsExactlyTheRecordsOfTheQueryPages()
    {
        // Arrange: 2,200 api.request records, the two tokens taking turns, so the token filter spans export batches (1,000).
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);
        await using (var db = host.NewContext())
        {
            var records = Enumerable.Range(0, 2_200).Select(i => i % 2 == 0 ? history.TokenA : history.TokenB).Select(actor => AuditRecord.Create(actor.BillingEntityId!,
                AuditActions.ApiRequest, actor, host.Clock.UtcNow, new AuditSubject(actor.Id, actor.Handle, TokenId: actor.TokenId), new { method = "GET", path = "/api/v0/actor", status = 200 })).ToList();
            await AuditBatchWriter.AppendAsync(db, records, CancellationToken.None);
        }
        var query = new AuditQuery(Actions: [AuditActions.ApiRequest, AuditActions.TokenCreate], TokenId: history.TokenBId);
        var paged = await WalkAsync(host, history, query with { Limit = AuditQuery.MaxLimit });

        // Act
        var exported = await CoreHost.Must(await host.Audit.ExportAsync(history.Ada, history.Org, history.Handle, query)).ToListAsync();

        // Assert
        paged.Should().HaveCount(1_100 + 3 + 1, "the token's 1,100 new requests, its 3 earlier ones and its creation");
        exported.Should().Equal(paged);
    }

    // ---- chain fields ----

    [Fact]
    public async Task QueryAsync_EveryRecord_CarriesItsStoredHashAndTheHashOfThePreviousSequence()
    {
        // Arrange: the account's records sit on its org's chain between the other account's.
        await using var host = await CoreHost.StartAsync();
        var history = await HistoryAsync(host);
        await using var db = host.NewContext();
        var entityId = await db.AuditRecords.Where(r => r.IdentityId == history.AccountId).Select(r => r.EntityId).Distinct().SingleAsync();
        var chain = await db.AuditRecords.AsNoTracking().Where(r => r.EntityId == entityId).ToDictionaryAsync(r => r.Sequence);
        var expected = chain.Values.Where(r => r.IdentityId == history.AccountId).OrderByDescending(r => r.Id)
            .Select(r => (r.Id, r.Sequence, PrevHash: r.Sequence == 1 ? AuditRecord.GenesisHash : chain[r.Sequence - 1].Hash, Hash: r.ComputeHash()))
            .ToList();

        // Act
        var views = await WalkAsync(host, history, new AuditQuery(Limit: 5));

        // Assert
        expected.Should().Contain(e => e.Sequence > 1 && chain[e.Sequence - 1].IdentityId != history.AccountId, "some records follow another account's on the chain");
        views.Select(v => (v.Id, v.Sequence, v.PrevHash, v.Hash)).Should().Equal(expected);
    }

    // ---- the history and the predicate ----

    /// <summary>
    /// An org of Ada's with Bob as a second owner; the account "Deploy Bot" with token A (made by Ada) and token B
    /// (made by Bob); "Other Bot" with a token of its own, whose records interleave on the org's chain.
    /// T+0 create · T+1 token A · T+2 token B · T+3 requests A, B (and Other's) · T+4 Ada's update, request A ·
    /// T+5 Bob's update, Bob deactivates A · T+6 a wrong secret for A, request B · T+7 Ada activates A, Bob makes
    /// the account an owner · T+8 request A, request B, Ada retitles B · T+9 support opens the log.
    /// </summary>
    private static async Task<History> HistoryAsync(CoreHost host)
    {
        var ada = await host.UserAsync("ada");
        var bob = await host.UserAsync("bob");
        var sam = await host.UserAsync("sam", support: true);
        var org = await host.OrgAsync(ada, "filter-org");
        await host.AddMemberAsync(org, bob, Role.Owner);
        var start = host.Clock.UtcNow;
        var account = await host.AccountAsync(ada, org, "Deploy Bot");
        var other = await host.AccountAsync(ada, org, "Other Bot");
        host.Clock.Advance(Hour);
        var (tokenA, _) = await host.TokenActorAsync(ada, org, account.Handle);
        var (otherToken, _) = await host.TokenActorAsync(ada, org, other.Handle);
        host.Clock.Advance(Hour);
        var (tokenB, _) = await host.TokenActorAsync(bob, org, account.Handle);
        host.Clock.Advance(Hour);
        CoreHost.Must(await host.Audit.RecordApiRequestAsync(tokenA.From("10.0.0.1", "ci/1.0"), "GET", "/api/v0/actor", 200));
        CoreHost.Must(await host.Audit.RecordApiRequestAsync(otherToken, "GET", "/api/v0/actor", 200));
        CoreHost.Must(await host.Audit.RecordApiRequestAsync(tokenB.From("10.0.0.2", "terraform/1.9"), "GET", "/api/v0/{kind}/{handle}/service_account/{sa_id}/token", 200));
        host.Clock.Advance(Hour);
        account = CoreHost.Must(await host.Accounts.UpdateAsync(ada, org, account.Handle, new ServiceAccountChanges("Deploy Bot 2", null), account.Version));
        CoreHost.Must(await host.Audit.RecordApiRequestAsync(tokenA, "PATCH", "/api/v0/{kind}/{handle}/service_account/{sa_id}", 403));
        host.Clock.Advance(Hour);
        account = CoreHost.Must(await host.Accounts.UpdateAsync(bob, org, account.Handle, new ServiceAccountChanges(null, "Deploys things"), account.Version));
        CoreHost.Must(await host.Tokens.DeactivateAsync(bob, org, account.Handle, tokenA.TokenId!));
        host.Clock.Advance(Hour);
        var refused = await host.Authenticator.AuthenticateAsync(TokenFormat.Generate(tokenA.TokenId!), "203.0.113.9", "curl/8");
        refused.Actor.Should().BeNull("a wrong secret is refused (and recorded)");
        CoreHost.Must(await host.Audit.RecordApiRequestAsync(tokenB, "GET", "/api/v0/actor", 200));
        host.Clock.Advance(Hour);
        CoreHost.Must(await host.Tokens.ActivateAsync(ada, org, account.Handle, tokenA.TokenId!));
        CoreHost.Must(await host.Accounts.ChangeRoleAsync(bob, org, account.Handle, Role.Owner));
        host.Clock.Advance(Hour);
        CoreHost.Must(await host.Audit.RecordApiRequestAsync(tokenA, "GET", "/api/v0/actor", 200));
        CoreHost.Must(await host.Audit.RecordApiRequestAsync(tokenB, "GET", "/api/v0/actor", 200));
        CoreHost.Must(await host.Tokens.UpdateAsync(ada, org, account.Handle, tokenB.TokenId!, new TokenChanges(Title: "terraform"), null));
        host.Clock.Advance(Hour);
        CoreHost.Must(await host.Audit.QueryAsync(sam, org, account.Handle, new AuditQuery()));
        return new History(ada, bob, org, account.Id, account.Handle, tokenA, tokenB, other.Handle, otherToken.TokenId!, start);
    }

    /// <summary>A combination of filters over <see cref="HistoryAsync"/>, and whether the history has records it selects.</summary>
    private static (AuditQuery Query, bool MatchesSome) Filters(string combination, History h) => combination switch
    {
        "none" => (new AuditQuery(), true),
        "action+actor" => (new AuditQuery(Actions: [AuditActions.ServiceAccountUpdate], Actor: h.Bob.Handle), true),
        // From is inclusive and To exclusive: records sit exactly on both bounds.
        "actions+from/to" => (new AuditQuery(Actions: [AuditActions.ApiRequest, AuditActions.TokenDeactivate, AuditActions.TokenActivate], From: h.At(5), To: h.At(8)), true),
        "token+action" => (new AuditQuery(Actions: [AuditActions.ApiRequest], TokenId: h.TokenAId), true),
        "text+actor" => (new AuditQuery(Actor: h.Bob.Handle, Text: h.TokenAId[..8]), true),
        "actor id+actions" => (new AuditQuery(Actions: [AuditActions.TokenCreate, AuditActions.TokenActivate, AuditActions.TokenUpdate], Actor: h.Ada.Id), true),
        "token actor+from" => (new AuditQuery(Actor: $" {h.Handle} ", From: h.At(6)), true),
        "all at once" => (new AuditQuery(Actions: [AuditActions.ApiRequest, AuditActions.TokenUpdate], Actor: h.Handle, From: h.At(4), To: h.At(9), Text: h.TokenBId[..6], TokenId: h.TokenBId), true),
        "matching nothing" => (new AuditQuery(Actions: [AuditActions.ServiceAccountRoleUpdate], Actor: h.Ada.Handle), false),
        // Taken literally, not as LIKE wildcards: "_" is in token ids (t_…) only, "%" nowhere.
        "text underscore" => (new AuditQuery(Text: "_"), true),
        "text percent" => (new AuditQuery(Text: "%"), false),
        _ => throw new ArgumentOutOfRangeException(nameof(combination), combination, null),
    };

    /// <summary>
    /// What AuditQuery promises, over records in memory: every filter given holds; several actions are alternatives;
    /// the actor is a handle or an id; the text is a case-insensitive literal part of the target, the actor's handle or
    /// the token id; the token id is exact; From is inclusive, To exclusive.
    /// </summary>
    private static bool Matches(AuditRecordView r, AuditQuery q) =>
        (q.Actions is not { Count: > 0 } || q.Actions.Contains(r.ActionType))
        && (string.IsNullOrWhiteSpace(q.Actor) || r.ActorHandle == q.Actor.Trim() || r.ActorId == q.Actor.Trim())
        && (string.IsNullOrWhiteSpace(q.Text) || new[] { r.TargetHandle, r.ActorHandle, r.TokenId }.Any(f => f?.Contains(q.Text.Trim(), StringComparison.OrdinalIgnoreCase) == true))
        && (string.IsNullOrWhiteSpace(q.TokenId) || r.TokenId == q.TokenId.Trim())
        && (q.From is not { } from || r.CreatedAt >= from)
        && (q.To is not { } to || r.CreatedAt < to);

    /// <summary>Every page of <paramref name="query"/> (from its first), as the owner reads them.</summary>
    private static async Task<List<AuditRecordView>> WalkAsync(CoreHost host, History history, AuditQuery query)
    {
        var records = new List<AuditRecordView>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = CoreHost.Must(await host.Audit.QueryAsync(history.Ada, history.Org, history.Handle, query with { Cursor = cursor }));
            records.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null && ++pages < 1_000);
        return records;
    }

    /// <summary>What is really stored about the account, newest first, read past Core.</summary>
    private static async Task<List<long>> StoredIdsAsync(CoreHost host, string accountId)
    {
        await using var db = host.NewContext();
        return await db.AuditRecords.Where(r => r.IdentityId == accountId).OrderByDescending(r => r.Id).Select(r => r.Id).ToListAsync();
    }

    private static IEnumerable<int> PageSizes(int count, int limit) =>
        count == 0 ? [0] : Enumerable.Range(0, (count + limit - 1) / limit).Select(i => Math.Min(limit, count - i * limit));

    private static async Task WaitUntilAsync(Func<bool> condition, Task writer)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (writer.IsCompleted)
            {
                await writer;
                throw new InvalidOperationException("The writer stopped before it was told to.");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The writer wrote nothing for 30 s.");
            }
            await Task.Delay(1);
        }
    }

    private sealed record History(
        Actor Ada, Actor Bob, EntityRef Org, string AccountId, string Handle, Actor TokenA, Actor TokenB, string OtherHandle, string OtherTokenId, DateTime Start)
    {
        public string TokenAId => TokenA.TokenId!;
        public string TokenBId => TokenB.TokenId!;

        public DateTime At(int hours) => Start.AddHours(hours);
    }
}
