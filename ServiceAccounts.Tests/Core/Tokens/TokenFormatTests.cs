using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Tokens;

/// <summary>The token string of DESIGN.md ("Token format") and rule 4: only the digest is kept.</summary>
public sealed class TokenFormatTests
{
    private const string IdAlphabet = "0123456789abcdefghijklmnopqrstuv";
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly Regex Shape = new("^sat_[0-9a-v]{20}_[0-9A-Za-z]{32}[0-9A-Za-z]{6}$", RegexOptions.CultureInvariant);

    [Fact]
    public void TryParse_GeneratedToken_ReturnsItsTokenId()
    {
        // Arrange
        var tokenId = Ids.NewTokenId();
        var token = TokenFormat.Generate(tokenId);

        // Act
        var parsed = TokenFormat.TryParse(token);

        // Assert
        parsed.Should().Be(tokenId);
    }

    [Fact]
    public void Generate_AnyTokenId_HasTheDocumentedShapeAndAFreshSecret()
    {
        // Arrange
        var tokenId = Ids.NewTokenId();

        // Act
        var tokens = Enumerable.Range(0, 50).Select(_ => TokenFormat.Generate(tokenId)).ToList();

        // Assert
        var idPart = tokenId.Substring(2);
        tokens.Should().OnlyContain(t => Shape.IsMatch(t) && t.Substring(4, 20) == idPart);
        tokens.Select(Secret).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void TryParse_AnySingleCharacterChanged_ReturnsNull()
    {
        // Arrange
        var token = TokenFormat.Generate(Ids.NewTokenId());
        var accepted = new List<string>();

        // Act: every position, every other character a token could plausibly hold there.
        for (var position = 0; position < token.Length; position++)
        {
            var alphabet = position is >= 4 and < 24 ? IdAlphabet : Base62 + "_";
            foreach (var replacement in alphabet.Where(c => c != token[position]))
            {
                var altered = string.Concat(token.AsSpan(0, position), replacement.ToString(), token.AsSpan(position + 1));
                if (TokenFormat.TryParse(altered) is not null)
                {
                    accepted.Add(altered);
                }
            }
        }

        // Assert
        accepted.Should().BeEmpty();
    }

    [Fact]
    public async Task AuthenticateAsync_BadChecksum_IssuesNoDatabaseCommand()
    {
        // Arrange
        var counter = new CommandCounter();
        await using var host = await CoreHost.StartAsync(o => o.AddInterceptors(counter));
        var (owner, org, handle) = await AccountAsync(host);
        var created = CoreHost.Must(await host.Tokens.CreateAsync(owner, org, handle, new NewToken("ci", TokenExpiration.AfterDays(30))));
        var badChecksum = created.Secret[..^1] + (created.Secret[^1] == 'A' ? 'B' : 'A');
        counter.Reset();

        // Act
        var result = await host.Authenticator.AuthenticateAsync(badChecksum);

        // Assert
        result.Refusal.Should().Be(TokenRefusal.Malformed);
        counter.Commands.Should().Be(0);
        counter.Connections.Should().Be(0);
    }

    [Fact]
    public async Task AuthenticateAsync_WellFormedToken_IsLookedUpInTheDatabase()
    {
        // Arrange: the counter of the test above does see the authenticator's work.
        var counter = new CommandCounter();
        await using var host = await CoreHost.StartAsync(o => o.AddInterceptors(counter));
        counter.Reset();

        // Act
        var result = await host.Authenticator.AuthenticateAsync(TokenFormat.Generate(Ids.NewTokenId()));

        // Assert
        result.Refusal.Should().Be(TokenRefusal.Unknown);
        counter.Commands.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task CreateAsync_Token_StoresOnlyItsDigest()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await AccountAsync(host);

        // Act
        var created = CoreHost.Must(await host.Tokens.CreateAsync(owner, org, handle, new NewToken("ci", TokenExpiration.AfterDays(30))));

        // Assert: the raw files, whatever SQLite has or hasn't checkpointed yet.
        var stored = ReadShared(host.DatabasePath).Concat(ReadShared(host.DatabasePath + "-wal")).ToArray();
        Contains(stored, Encoding.UTF8.GetBytes(created.Token.Id)).Should().BeTrue("the token row is in the file");
        Contains(stored, SHA256.HashData(Encoding.UTF8.GetBytes(created.Secret))).Should().BeTrue("its digest is what is kept");
        Contains(stored, Encoding.UTF8.GetBytes(created.Secret)).Should().BeFalse("the token string must not be stored");
        Contains(stored, Encoding.UTF8.GetBytes(Secret(created.Secret))).Should().BeFalse("the secret part must not be stored");
        Contains(stored, Encoding.Unicode.GetBytes(Secret(created.Secret))).Should().BeFalse("not even as UTF-16");
    }

    [Fact]
    public async Task CreateAsync_Token_AuditDataHoldsNoSecret()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, org, handle) = await AccountAsync(host);

        // Act
        var created = CoreHost.Must(await host.Tokens.CreateAsync(owner, org, handle, new NewToken("ci", TokenExpiration.AfterDays(30))));

        // Assert
        await using var db = host.NewContext();
        var record = await db.AuditRecords.AsNoTracking().SingleAsync(r => r.ActionType == AuditActions.TokenCreate);
        record.TokenId.Should().Be(created.Token.Id);
        record.Data.Should().NotContain(Secret(created.Secret)).And.NotContain(created.Secret[..30]);
        record.Data.Should().Contain(created.Token.Last4);
    }

    private static string Secret(string token) => token.Substring(25, TokenFormat.SecretLength);

    private static byte[] ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static async Task<(Actor Owner, EntityRef Org, string Handle)> AccountAsync(CoreHost host)
    {
        var owner = await host.UserAsync("ada");
        var org = await host.OrgAsync(owner, "format");
        var account = await host.AccountAsync(owner, org, "Deploy Bot");
        return (owner, org, account.Handle);
    }
}
