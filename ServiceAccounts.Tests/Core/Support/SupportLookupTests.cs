using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Support;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Support;

/// <summary>Support's lookup: what each kind of query finds, and why a found token would be refused (rule 5, rule 7).</summary>
public sealed class SupportLookupTests : IAsyncLifetime
{
    private CoreHost host = null!;
    private Actor sam = null!;
    private Actor ada = null!;
    private EntityRef team;
    private EntityRef tenant;
    private ServiceAccountView account = null!;
    private CreatedToken token = null!;

    private SupportLookup Lookup => host.Services.GetRequiredService<SupportLookup>();

    public async Task InitializeAsync()
    {
        host = await CoreHost.StartAsync();
        sam = await host.UserAsync("sam-support", support: true);
        ada = await host.UserAsync("ada");
        team = await host.OrgAsync(ada, "team-org");
        await host.AddMemberAsync(team, await host.UserAsync("max"));
        tenant = await host.EnterpriseTenantAsync(ada, "enterprise", maxTokenExpirationDays: 90);
        account = await host.AccountAsync(ada, team, "Deploy Bot", Role.Owner);
        token = CoreHost.Must(await host.Tokens.CreateAsync(ada, team, account.Handle, new NewToken("ci", TokenExpiration.AfterDays(30))));
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    // Entities

    [Fact]
    public async Task FindAsync_OrgHandle_FindsTheOrgWithItsMembers()
    {
        var findings = await FindAsync("team-org");

        var org = findings.Entities.Should().ContainSingle().Subject;
        org.Should().BeEquivalentTo(new
        {
            Kind = EntityKind.Org,
            Handle = "team-org",
            Plan = Plan.Team,
            IsBillingEntity = true,
            TenantHandle = Tenant.DefaultHandle,
            Owners = 1,
            Members = 3,
            ServiceAccountMembers = 1,
        });
        findings.Accounts.Should().BeEmpty();
        findings.Tokens.Should().BeEmpty();
    }

    [Fact]
    public async Task FindAsync_TenantHandleAfterReset_FindsTheTenantWithItsAuthenticationSettings()
    {
        CoreHost.Must(await host.Tenancy.ResetAuthenticationAsync(ada, tenant.Handle));

        var findings = await FindAsync("enterprise");

        findings.Entities.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Kind = EntityKind.Tenant,
            Plan = Plan.Enterprise,
            IsBillingEntity = true,
            MaxTokenExpirationDays = 90,
            AuthenticationResetAt = host.Clock.UtcNow,
        });
    }

    [Theory]
    [InlineData("TEAM-ORG")]
    [InlineData("  @team-org ")]
    public async Task FindAsync_HandleInOtherCaseOrWithAt_FindsTheEntity(string query)
    {
        var findings = await FindAsync(query);

        findings.Entities.Should().ContainSingle().Which.Handle.Should().Be("team-org");
    }

    // Service accounts

    [Fact]
    public async Task FindAsync_ServiceAccountHandle_FindsTheAccountWithItsBillingEntityRoleAndCreation()
    {
        var findings = await FindAsync(account.Handle);

        var found = findings.Accounts.Should().ContainSingle().Subject;
        found.BillingEntityName.Should().Be("team-org");
        found.Account.Should().BeEquivalentTo(new { account.Id, BillingEntity = team, Role = Role.Owner, account.CreatedAt, TokenCount = 1 });
        findings.Entities.Should().BeEmpty();
    }

    [Fact]
    public async Task FindAsync_ServiceAccountId_FindsTheAccount()
    {
        var findings = await FindAsync(account.Id);

        findings.Accounts.Should().ContainSingle().Which.Account.Handle.Should().Be(account.Handle);
    }

    [Fact]
    public async Task FindAsync_NothingHasThatHandle_OkAndEmpty()
    {
        var findings = await FindAsync("no-such-thing");

        findings.IsEmpty.Should().BeTrue();
        findings.Query.Should().Be("no-such-thing");
        findings.ShareableQuery.Should().Be("no-such-thing");
    }

    // Whole tokens

    [Fact]
    public async Task FindAsync_ValidToken_WouldAuthenticateWithItsAccount()
    {
        var findings = await FindAsync(token.Secret);

        var found = findings.Tokens.Should().ContainSingle().Subject;
        found.WouldAuthenticate.Should().BeTrue();
        found.SecretChecked.Should().BeTrue();
        found.Token!.Should().BeEquivalentTo(new { token.Token.Id, Title = "ci", Status = TokenStatus.Active, token.Token.Last4, token.Token.ExpiresAt });
        found.Account!.Account.Handle.Should().Be(account.Handle);
        found.Account.Account.BillingEntity.Should().Be(team);
    }

    [Fact]
    public async Task FindAsync_ValidTokenAfterBearer_FindsTheToken()
    {
        var findings = await FindAsync("Bearer " + token.Secret);

        findings.Tokens.Should().ContainSingle().Which.WouldAuthenticate.Should().BeTrue();
    }

    [Fact]
    public async Task FindAsync_WholeToken_NeverReturnsTheSecretAndSharesOnlyTheId()
    {
        var findings = await FindAsync(token.Secret);

        var secretPart = token.Secret[(TokenFormat.Prefix.Length + Ids.RandomLength + 1)..^TokenFormat.ChecksumLength];
        JsonSerializer.Serialize(findings).Should().NotContain(secretPart);
        findings.ToString().Should().NotContain(secretPart);
        findings.ShareableQuery.Should().Be(token.Token.Id);
        findings.Query.Should().NotContain(secretPart).And.Contain(token.Token.Id[Ids.TokenPrefix.Length..]);
    }

    [Theory]
    [InlineData(TokenRefusal.Inactive, "inactive")]
    [InlineData(TokenRefusal.Expired, "expired on 2026-12-02 09:30 UTC")]
    [InlineData(TokenRefusal.WrongSecret, "does not match the stored digest")]
    [InlineData(TokenRefusal.Revoked, "before tenant enterprise's last authentication reset on 2026-11-02 09:31 UTC")]
    public async Task FindAsync_WholeTokenRefused_SaysWhyAsTheApiWould(TokenRefusal refusal, string explanation)
    {
        var (entity, handle, created) = refusal == TokenRefusal.Revoked ? await TenantTokenAsync() : (team, account.Handle, token);
        var presented = await ArrangeRefusalAsync(refusal, entity, handle, created);

        var findings = await FindAsync(presented);
        var authenticated = await host.Authenticator.AuthenticateAsync(presented);

        var found = findings.Tokens.Should().ContainSingle().Subject;
        found.WouldAuthenticate.Should().BeFalse();
        found.Refusal!.Refusal.Should().Be(refusal).And.Be(authenticated.Refusal!.Value);
        found.Refusal.Explanation.Should().Contain(explanation);
        found.Token!.Id.Should().Be(created.Token.Id);
    }

    [Fact]
    public async Task FindAsync_InactiveAndExpiredToken_NamesBothInTheApisOrder()
    {
        CoreHost.Must(await host.Tokens.DeactivateAsync(ada, team, account.Handle, token.Token.Id));
        host.Clock.Advance(TimeSpan.FromDays(31));

        var findings = await FindAsync(token.Secret);

        findings.Tokens.Single().Problems.Select(p => p.Refusal).Should().Equal(TokenRefusal.Inactive, TokenRefusal.Expired);
    }

    [Fact]
    public async Task FindAsync_TokenOfDeletedAccount_UnknownLikeTheApi()
    {
        CoreHost.Must(await host.Accounts.DeleteAsync(ada, team, account.Handle));

        var findings = await FindAsync(token.Secret);

        var found = findings.Tokens.Should().ContainSingle().Subject;
        found.Token.Should().BeNull();
        found.TokenId.Should().Be(token.Token.Id);
        found.Refusal!.Refusal.Should().Be(TokenRefusal.Unknown);
        found.Refusal.Explanation.Should().Contain(token.Token.Id).And.Contain("deleted");
        (await host.Authenticator.AuthenticateAsync(token.Secret)).Refusal.Should().Be(TokenRefusal.Unknown);
    }

    [Fact]
    public async Task FindAsync_WellFormedTokenNeverIssued_Unknown()
    {
        var findings = await FindAsync(TokenFormat.Generate(Ids.NewTokenId()));

        findings.Tokens.Should().ContainSingle().Which.Refusal!.Refusal.Should().Be(TokenRefusal.Unknown);
    }

    [Theory]
    [InlineData("checksum", "checksum does not hold")]
    [InlineData("short", "a token has 63 characters")]
    [InlineData("characters", "characters a token never has")]
    public async Task FindAsync_MalformedToken_SaysSoWithoutTouchingTheDatabase(string kind, string explanation)
    {
        var counter = new CommandCounter();
        await using var counted = await CoreHost.StartAsync(options => options.AddInterceptors(counter));
        var secret = token.Secret;
        var presented = kind switch
        {
            "checksum" => secret[..40] + (secret[40] == 'x' ? 'y' : 'x') + secret[41..],
            "short" => secret[..^1],
            _ => secret[..40] + '-' + secret[41..],
        };
        counter.Reset();

        var result = await counted.Services.GetRequiredService<SupportLookup>().FindAsync(sam, presented);

        var found = CoreHost.Must(result).Tokens.Should().ContainSingle().Subject;
        found.Refusal!.Refusal.Should().Be(TokenRefusal.Malformed);
        found.Refusal.Explanation.Should().Contain(explanation).And.Contain($"It would name token {token.Token.Id}");
        found.Token.Should().BeNull();
        found.ClaimedTokenId.Should().Be(token.Token.Id);
        counter.Commands.Should().Be(0);
        result.Value!.ShareableQuery.Should().BeNull("a mistyped token is still nearly a secret");
        JsonSerializer.Serialize(result.Value).Should().NotContain(presented[30..50]);
    }

    // Token ids and last 4

    [Theory]
    [InlineData("{id}")]
    [InlineData("{bare}")]
    [InlineData("sat_{bare}")]
    [InlineData("sat_{bare}_")]
    public async Task FindAsync_TokenId_FindsTheTokenWithoutCheckingASecret(string form)
    {
        var id = token.Token.Id;
        var query = form.Replace("{id}", id).Replace("{bare}", id[Ids.TokenPrefix.Length..]);

        var findings = await FindAsync(query);

        var found = findings.Tokens.Should().ContainSingle().Subject;
        found.TokenId.Should().Be(id);
        found.SecretChecked.Should().BeFalse();
        found.WouldAuthenticate.Should().BeTrue();
    }

    [Theory]
    [InlineData("sat_…{last4}")]
    [InlineData("sat_...{last4}")]
    [InlineData("…{last4}")]
    public async Task FindAsync_Last4_FindsTheToken(string form)
    {
        var findings = await FindAsync(form.Replace("{last4}", token.Token.Last4));

        findings.Tokens.Should().ContainSingle().Which.TokenId.Should().Be(token.Token.Id);
        findings.ShareableQuery.Should().Be(TokenFormat.Masked(token.Token.Last4));
    }

    [Fact]
    public async Task FindAsync_Last4OfInactiveToken_RefusedAsInactiveWithoutASecret()
    {
        CoreHost.Must(await host.Tokens.DeactivateAsync(ada, team, account.Handle, token.Token.Id));

        var findings = await FindAsync(TokenFormat.Masked(token.Token.Last4));

        var found = findings.Tokens.Should().ContainSingle().Subject;
        found.SecretChecked.Should().BeFalse();
        found.Problems.Select(p => p.Refusal).Should().Equal(TokenRefusal.Inactive);
    }

    [Fact]
    public async Task FindAsync_Last4OfMoreTokensThanTheCap_ReturnsTheCapNewestFirstAndSaysThereAreMore()
    {
        const string last4 = "Zz9Q";
        await using (var db = host.NewContext())
        {
            for (var i = 0; i < 11; i++)
            {
                var bot = await host.AccountAsync(ada, team, $"Bot {i}");
                for (var slot = 0; slot < 2; slot++)
                {
                    host.Clock.Advance(TimeSpan.FromMinutes(1));
                    db.ApiTokens.Add(ApiToken.Create(Ids.NewTokenId(), bot.Id, slot, null, last4, new byte[32], null, new Stamp(ada.Id!, ada.Handle!, host.Clock.UtcNow)));
                }
            }
            await db.SaveChangesAsync();
        }

        var findings = await FindAsync(TokenFormat.Masked(last4));

        findings.Tokens.Should().HaveCount(SupportLookup.MaxTokenMatches)
            .And.BeInDescendingOrder(t => t.Token!.CreatedAt);
        findings.MoreTokens.Should().BeTrue();
    }

    // Invalid input

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("line\nbreak")]
    public async Task FindAsync_BlankOrControlCharacters_InvalidQuery(string? query)
    {
        var result = await Lookup.FindAsync(sam, query);

        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors.Should().ContainKey("query");
    }

    [Fact]
    public async Task FindAsync_OverLong_InvalidQuerySayingTheLimit()
    {
        var result = await Lookup.FindAsync(sam, new string('a', SupportLookup.QueryMaxLength + 1));

        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors["query"].Should().Contain($"at most {SupportLookup.QueryMaxLength} characters");
    }

    private async Task<SupportFindings> FindAsync(string query) => CoreHost.Must(await Lookup.FindAsync(sam, query));

    private async Task<(EntityRef Entity, string Handle, CreatedToken Token)> TenantTokenAsync()
    {
        var bot = await host.AccountAsync(ada, tenant, "Tenant Bot");
        return (tenant, bot.Handle, CoreHost.Must(await host.Tokens.CreateAsync(ada, tenant, bot.Handle, new NewToken("t", TokenExpiration.AfterDays(30)))));
    }

    /// <summary>Puts the token in the state refused for <paramref name="refusal"/>; returns what to paste.</summary>
    private async Task<string> ArrangeRefusalAsync(TokenRefusal refusal, EntityRef entity, string handle, CreatedToken created)
    {
        switch (refusal)
        {
            case TokenRefusal.Inactive:
                CoreHost.Must(await host.Tokens.DeactivateAsync(ada, entity, handle, created.Token.Id));
                return created.Secret;
            case TokenRefusal.Expired:
                host.Clock.Advance(TimeSpan.FromDays(31));
                return created.Secret;
            case TokenRefusal.WrongSecret:
                return TokenFormat.Generate(created.Token.Id);
            default:
                host.Clock.Advance(TimeSpan.FromMinutes(1));
                CoreHost.Must(await host.Tenancy.ResetAuthenticationAsync(ada, entity.Handle));
                return created.Secret;
        }
    }
}
