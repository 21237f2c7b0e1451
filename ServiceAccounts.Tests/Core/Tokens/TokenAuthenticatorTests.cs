using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Tokens;

/// <summary>Rule 5: when a token authenticates, and what a refusal leaves behind.</summary>
public sealed class TokenAuthenticatorTests
{
    [Fact]
    public async Task AuthenticateAsync_ValidToken_ReturnsTheServiceAccountWithTheTokenId()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host);

        // Act
        var result = await host.Authenticator.AuthenticateAsync(setup.Token.Secret, "203.0.113.7", "ci/1.0");

        // Assert
        result.Succeeded.Should().BeTrue(result.Describe());
        result.Refusal.Should().BeNull();
        result.Actor!.Type.Should().Be(ActorType.ServiceAccount);
        result.Actor.Id.Should().Be(setup.Account.Id);
        result.Actor.Handle.Should().Be(setup.Account.Handle);
        result.Actor.TokenId.Should().Be(setup.Token.Token.Id);
        result.Actor.Ip.Should().Be("203.0.113.7");
    }

    [Fact]
    public async Task AuthenticateAsync_DeactivatedToken_RefusesAsInactive()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host);
        CoreHost.Must(await host.Tokens.DeactivateAsync(setup.Owner, setup.Entity, setup.Account.Handle, setup.Token.Token.Id));

        // Act
        var result = await host.Authenticator.AuthenticateAsync(setup.Token.Secret);

        // Assert
        result.Actor.Should().BeNull();
        result.Refusal.Should().Be(TokenRefusal.Inactive);
    }

    [Fact]
    public async Task AuthenticateAsync_ReactivatedToken_Succeeds()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host);
        CoreHost.Must(await host.Tokens.DeactivateAsync(setup.Owner, setup.Entity, setup.Account.Handle, setup.Token.Token.Id));
        CoreHost.Must(await host.Tokens.ActivateAsync(setup.Owner, setup.Entity, setup.Account.Handle, setup.Token.Token.Id));

        // Act
        var result = await host.Authenticator.AuthenticateAsync(setup.Token.Secret);

        // Assert
        result.Succeeded.Should().BeTrue(result.Describe());
    }

    [Fact]
    public async Task AuthenticateAsync_PastExpiration_RefusesAsExpired()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host);
        host.Clock.Advance(setup.Token.Token.ExpiresAt!.Value - host.Clock.UtcNow + TimeSpan.FromSeconds(1));

        // Act
        var result = await host.Authenticator.AuthenticateAsync(setup.Token.Secret);

        // Assert
        result.Actor.Should().BeNull();
        result.Refusal.Should().Be(TokenRefusal.Expired);
    }

    [Fact]
    public async Task AuthenticateAsync_JustBeforeExpiration_Succeeds()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host);
        host.Clock.Advance(setup.Token.Token.ExpiresAt!.Value - host.Clock.UtcNow - TimeSpan.FromSeconds(1));

        // Act
        var result = await host.Authenticator.AuthenticateAsync(setup.Token.Secret);

        // Assert
        result.Succeeded.Should().BeTrue(result.Describe());
    }

    [Fact]
    public async Task AuthenticateAsync_ServiceAccountDeleted_RefusesAsUnknown()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host);
        CoreHost.Must(await host.Accounts.DeleteAsync(setup.Owner, setup.Entity, setup.Account.Handle));

        // Act
        var result = await host.Authenticator.AuthenticateAsync(setup.Token.Secret);

        // Assert
        result.Actor.Should().BeNull();
        result.Refusal.Should().Be(TokenRefusal.Unknown);
    }

    [Fact]
    public async Task AuthenticateAsync_SameTokenIdOtherSecret_RefusesAsWrongSecret()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host);
        var forged = TokenFormat.Generate(setup.Token.Token.Id);

        // Act
        var result = await host.Authenticator.AuthenticateAsync(forged);

        // Assert
        TokenFormat.TryParse(forged).Should().Be(setup.Token.Token.Id);
        result.Actor.Should().BeNull();
        result.Refusal.Should().Be(TokenRefusal.WrongSecret);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("sat_")]
    [InlineData("Bearer sat_0123456789abcdefghij_0123456789ABCDEFGHIJabcdefghij012345")]
    public async Task AuthenticateAsync_NotATokenString_RefusesAsMalformed(string? presented)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();

        // Act
        var result = await host.Authenticator.AuthenticateAsync(presented);

        // Assert
        result.Actor.Should().BeNull();
        result.Refusal.Should().Be(TokenRefusal.Malformed);
    }

    [Fact]
    public async Task AuthenticateAsync_RealTokenWithOneCharacterFlipped_RefusesAsMalformed()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host);
        var secret = setup.Token.Secret;
        var flipped = secret[..30] + (secret[30] == 'x' ? 'y' : 'x') + secret[31..];

        // Act
        var result = await host.Authenticator.AuthenticateAsync(flipped);

        // Assert
        result.Refusal.Should().Be(TokenRefusal.Malformed);
    }

    [Fact]
    public async Task AuthenticateAsync_IssuedBeforeTenantReset_RefusesAsRevoked()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host, enterprise: true);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        CoreHost.Must(await host.Tenancy.ResetAuthenticationAsync(setup.Owner, setup.Entity.Handle));

        // Act
        var result = await host.Authenticator.AuthenticateAsync(setup.Token.Secret);

        // Assert
        result.Actor.Should().BeNull();
        result.Refusal.Should().Be(TokenRefusal.Revoked);
    }

    [Fact]
    public async Task AuthenticateAsync_IssuedAfterTenantReset_Succeeds()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host, enterprise: true);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        CoreHost.Must(await host.Tenancy.ResetAuthenticationAsync(setup.Owner, setup.Entity.Handle));
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var fresh = CoreHost.Must(await host.Tokens.CreateAsync(setup.Owner, setup.Entity, setup.Account.Handle, new NewToken("after reset", TokenExpiration.AfterDays(30))));

        // Act
        var result = await host.Authenticator.AuthenticateAsync(fresh.Secret);

        // Assert
        result.Succeeded.Should().BeTrue(result.Describe());
        result.Actor!.TokenId.Should().Be(fresh.Token.Id);
    }

    [Theory]
    [InlineData(TokenRefusal.Inactive, "inactive")]
    [InlineData(TokenRefusal.Expired, "expired")]
    [InlineData(TokenRefusal.WrongSecret, "wrong_secret")]
    [InlineData(TokenRefusal.Revoked, "issued_before_reset")]
    public async Task AuthenticateAsync_KnownTokenRefused_WritesAuthFailedRecordWithTokenAndReason(TokenRefusal refusal, string reason)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host, enterprise: true);
        var presented = await ArrangeRefusalAsync(host, setup, refusal);
        var before = await AuthFailuresAsync(host);

        // Act
        var result = await host.Authenticator.AuthenticateAsync(presented, "198.51.100.4", "curl/8");

        // Assert
        result.Refusal.Should().Be(refusal);
        var records = (await AuthFailuresAsync(host)).ExceptBy(before.Select(r => r.Id), r => r.Id).ToList();
        records.Should().ContainSingle();
        var record = records[0];
        record.TokenId.Should().Be(setup.Token.Token.Id);
        record.IdentityId.Should().Be(setup.Account.Id);
        record.ActorIp.Should().Be("198.51.100.4");
        JsonDocument.Parse(record.Data).RootElement.GetProperty("reason").GetString().Should().Be(reason);
        record.Data.Should().NotContain(presented[25..57]);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("flipped")]
    [InlineData("deleted account")]
    [InlineData("never issued")]
    public async Task AuthenticateAsync_MalformedOrUnknown_WritesNoAuditRecord(string kind)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host);
        var secret = setup.Token.Secret;
        var presented = kind switch
        {
            "garbage" => "garbage",
            "flipped" => secret[..30] + (secret[30] == 'x' ? 'y' : 'x') + secret[31..],
            "deleted account" => secret,
            _ => TokenFormat.Generate(Ids.NewTokenId()),
        };
        if (kind == "deleted account")
        {
            CoreHost.Must(await host.Accounts.DeleteAsync(setup.Owner, setup.Entity, setup.Account.Handle));
        }
        var before = await AuditCountAsync(host);

        // Act
        var result = await host.Authenticator.AuthenticateAsync(presented);

        // Assert
        result.Refusal.Should().BeOneOf(TokenRefusal.Malformed, TokenRefusal.Unknown);
        (await AuditCountAsync(host)).Should().Be(before);
    }

    [Fact]
    public async Task AuthenticateAsync_TwiceWithinFiveMinutes_KeepsTheFirstLastUsedAt()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host);
        var firstUse = host.Clock.UtcNow;
        (await host.Authenticator.AuthenticateAsync(setup.Token.Secret)).Succeeded.Should().BeTrue();
        host.Clock.Advance(TimeSpan.FromMinutes(4));

        // Act
        var second = await host.Authenticator.AuthenticateAsync(setup.Token.Secret);

        // Assert
        second.Succeeded.Should().BeTrue();
        (await LastUsedAtAsync(host, setup.Token.Token.Id)).Should().Be(firstUse);
    }

    [Fact]
    public async Task AuthenticateAsync_SixMinutesAfterLastUse_UpdatesLastUsedAt()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host);
        (await host.Authenticator.AuthenticateAsync(setup.Token.Secret)).Succeeded.Should().BeTrue();
        host.Clock.Advance(TimeSpan.FromMinutes(6));

        // Act
        var later = await host.Authenticator.AuthenticateAsync(setup.Token.Secret);

        // Assert
        later.Succeeded.Should().BeTrue();
        (await LastUsedAtAsync(host, setup.Token.Token.Id)).Should().Be(host.Clock.UtcNow);
    }

    [Fact]
    public async Task AuthenticateAsync_ValidToken_DoesNotChangeTheTokenVersionOrAudit()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var setup = await SetupAsync(host);
        var auditBefore = await AuditCountAsync(host);

        // Act
        (await host.Authenticator.AuthenticateAsync(setup.Token.Secret)).Succeeded.Should().BeTrue();

        // Assert
        var token = CoreHost.Must(await host.Tokens.GetAsync(setup.Owner, setup.Entity, setup.Account.Handle, setup.Token.Token.Id));
        token.Version.Should().Be(setup.Token.Token.Version);
        token.LastUsedAt.Should().Be(host.Clock.UtcNow);
        (await AuditCountAsync(host)).Should().Be(auditBefore);
    }

    private sealed record Setup(Actor Owner, EntityRef Entity, ServiceAccountView Account, CreatedToken Token);

    private static async Task<Setup> SetupAsync(CoreHost host, bool enterprise = false)
    {
        var owner = await host.UserAsync("ada");
        var entity = enterprise ? await host.EnterpriseTenantAsync(owner, "enterprise") : await host.OrgAsync(owner, "team-org");
        var account = await host.AccountAsync(owner, entity, "Deploy Bot");
        var token = CoreHost.Must(await host.Tokens.CreateAsync(owner, entity, account.Handle, new NewToken("ci", TokenExpiration.AfterDays(30))));
        return new Setup(owner, entity, account, token);
    }

    /// <summary>Puts the token in the state that makes it refused for <paramref name="refusal"/>; returns what to present.</summary>
    private static async Task<string> ArrangeRefusalAsync(CoreHost host, Setup setup, TokenRefusal refusal)
    {
        switch (refusal)
        {
            case TokenRefusal.Inactive:
                CoreHost.Must(await host.Tokens.DeactivateAsync(setup.Owner, setup.Entity, setup.Account.Handle, setup.Token.Token.Id));
                return setup.Token.Secret;
            case TokenRefusal.Expired:
                host.Clock.Advance(TimeSpan.FromDays(31));
                return setup.Token.Secret;
            case TokenRefusal.WrongSecret:
                return TokenFormat.Generate(setup.Token.Token.Id);
            default:
                host.Clock.Advance(TimeSpan.FromMinutes(1));
                CoreHost.Must(await host.Tenancy.ResetAuthenticationAsync(setup.Owner, setup.Entity.Handle));
                return setup.Token.Secret;
        }
    }

    private static async Task<List<AuditRecord>> AuthFailuresAsync(CoreHost host)
    {
        await using var db = host.NewContext();
        return await db.AuditRecords.AsNoTracking().Where(r => r.ActionType == AuditActions.TokenAuthFailed).ToListAsync();
    }

    private static async Task<int> AuditCountAsync(CoreHost host)
    {
        await using var db = host.NewContext();
        return await db.AuditRecords.CountAsync();
    }

    private static async Task<DateTime?> LastUsedAtAsync(CoreHost host, string tokenId)
    {
        await using var db = host.NewContext();
        return await db.ApiTokens.AsNoTracking().Where(t => t.Id == tokenId).Select(t => t.LastUsedAt).SingleAsync();
    }
}
