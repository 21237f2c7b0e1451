using Microsoft.Data.Sqlite;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.Core.Audit;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Tokens;

/// <summary>Rule 2: at most 2 tokens per service account, under any concurrency, kept by the database itself.</summary>
public sealed class TokenLimitTests
{
    private const int Callers = 20;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintCheck = 275;

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 1)]
    public async Task CreateAsync_TwentyConcurrentCallers_OnlyTheFreeSlotsSucceed(int existingTokens, int freeSlots)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, account) = await AccountAsync(host);
        for (var i = 0; i < existingTokens; i++)
        {
            CoreHost.Must(await host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken($"existing {i}", TokenExpiration.AfterDays(30))));
        }
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, Callers).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken($"parallel {i}", TokenExpiration.AfterDays(30)));
        })).ToArray();

        // Act
        gate.SetResult();
        var results = await Task.WhenAll(calls);

        // Assert
        results.Count(r => r.IsOk).Should().Be(freeSlots);
        results.Where(r => !r.IsOk).Should().HaveCount(Callers - freeSlots).And.AllSatisfy(r =>
        {
            r.Status.Should().Be(ResultStatus.Conflict);
            r.ConflictReason.Should().Be(ConflictReason.TokenLimit);
        });
        await using var connection = await RawDatabase.OpenAsync(host.DatabasePath);
        (await CountTokensAsync(connection, account.Id)).Should().Be(ApiToken.MaxPerServiceAccount);
    }

    [Fact]
    public async Task CreateAsync_TwentyConcurrentCallers_StoredCountNeverExceedsTwo()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, account) = await AccountAsync(host);
        await using var observer = await RawDatabase.OpenAsync(host.DatabasePath);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, Callers).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken($"parallel {i}", TokenExpiration.AfterDays(30)));
        })).ToArray();
        var seen = new List<long>();

        // Act: watch the table from outside while the callers race.
        gate.SetResult();
        var all = Task.WhenAll(calls);
        while (!all.IsCompleted)
        {
            seen.Add(await CountTokensAsync(observer, account.Id));
        }
        await all;
        seen.Add(await CountTokensAsync(observer, account.Id));

        // Assert
        seen.Should().OnlyContain(count => count <= ApiToken.MaxPerServiceAccount);
        seen[^1].Should().Be(ApiToken.MaxPerServiceAccount);
    }

    [Theory]
    [InlineData(0, SqliteConstraintUnique)]
    [InlineData(1, SqliteConstraintUnique)]
    [InlineData(2, SqliteConstraintCheck)]
    [InlineData(-1, SqliteConstraintCheck)]
    public async Task Insert_ThirdTokenBypassingCore_IsRefusedByTheDatabase(int slot, int expectedConstraint)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, account) = await AccountAsync(host);
        for (var i = 0; i < ApiToken.MaxPerServiceAccount; i++)
        {
            CoreHost.Must(await host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken($"token {i}", TokenExpiration.AfterDays(30))));
        }
        await using var connection = await RawDatabase.OpenAsync(host.DatabasePath);

        // Act: copy an existing row under a new id, forcing the slot.
        var insert = () => RawDatabase.ExecuteAsync(connection, """
            INSERT INTO "ApiTokens" ("Id", "ServiceAccountId", "Slot", "Title", "Status", "Last4", "SecretDigest", "ExpiresAt",
                "CreatedAt", "CreatedById", "CreatedByHandle", "UpdatedAt", "UpdatedById", "UpdatedByHandle", "LastUsedAt", "Version")
            SELECT $id, "ServiceAccountId", $slot, 'forced', "Status", "Last4", "SecretDigest", "ExpiresAt",
                "CreatedAt", "CreatedById", "CreatedByHandle", "UpdatedAt", "UpdatedById", "UpdatedByHandle", "LastUsedAt", "Version"
            FROM "ApiTokens" WHERE "ServiceAccountId" = $account LIMIT 1
            """, ("$id", "t_forcedforcedforcedfo"), ("$slot", slot), ("$account", account.Id));

        // Assert
        (await insert.Should().ThrowAsync<SqliteException>()).Which.SqliteExtendedErrorCode.Should().Be(expectedConstraint);
        (await CountTokensAsync(connection, account.Id)).Should().Be(ApiToken.MaxPerServiceAccount);
    }

    [Fact]
    public async Task CreateAsync_AfterDeletingOneOfTwoTokens_SucceedsOnceMore()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, account) = await AccountAsync(host);
        var first = CoreHost.Must(await host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken("first", TokenExpiration.AfterDays(30))));
        CoreHost.Must(await host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken("second", TokenExpiration.AfterDays(30))));
        CoreHost.Must(await host.Tokens.DeleteAsync(owner, org, account.Handle, first.Token.Id));

        // Act
        var replacement = await host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken("replacement", TokenExpiration.AfterDays(30)));
        var oneTooMany = await host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken("one too many", TokenExpiration.AfterDays(30)));

        // Assert
        replacement.IsOk.Should().BeTrue(replacement.ToString());
        oneTooMany.Status.Should().Be(ResultStatus.Conflict);
        oneTooMany.ConflictReason.Should().Be(ConflictReason.TokenLimit);
        oneTooMany.Message.Should().Contain("at most 2 tokens");
    }

    private static async Task<(Actor Owner, EntityRef Org, ServiceAccountView Account)> AccountAsync(CoreHost host)
    {
        var owner = await host.UserAsync("ada");
        var org = await host.OrgAsync(owner, "limits");
        var account = await host.AccountAsync(owner, org, "Deploy Bot");
        return (owner, org, account);
    }

    private static Task<long> CountTokensAsync(SqliteConnection connection, string accountId) =>
        RawDatabase.ScalarAsync(connection, "SELECT COUNT(*) FROM \"ApiTokens\" WHERE \"ServiceAccountId\" = $account", ("$account", accountId));
}
