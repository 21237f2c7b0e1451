using System.Security.Cryptography;
using System.Text;
using ServiceAccounts.Core.Security;

namespace ServiceAccounts.Core.Tokens;

/// <summary>
/// sat_ + token id (20 × [0-9a-v]) + _ + 32 base62 secret characters (190 bits from a CSPRNG)
/// + 6 base62 characters of the CRC32 of everything before them.
/// </summary>
public static class TokenFormat
{
    public const string Prefix = "sat_";
    public const int SecretLength = 32;
    public const int ChecksumLength = 6;
    public const int Length = 4 + Ids.RandomLength + 1 + SecretLength + ChecksumLength;

    internal const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new token string for the token id <paramref name="tokenId"/> (with its t_ prefix).</summary>
    public static string Generate(string tokenId)
    {
        if (!tokenId.StartsWith(Ids.TokenPrefix, StringComparison.Ordinal) || !Ids.IsRandomPart(tokenId.AsSpan(Ids.TokenPrefix.Length)))
        {
            throw new ArgumentException("Not a token id.", nameof(tokenId));
        }
        var builder = new StringBuilder(Length);
        builder.Append(Prefix).Append(tokenId, Ids.TokenPrefix.Length, Ids.RandomLength).Append('_');
        for (var i = 0; i < SecretLength; i++)
        {
            builder.Append(Base62[RandomNumberGenerator.GetInt32(Base62.Length)]);
        }
        builder.Append(Checksum(builder.ToString()));
        return builder.ToString();
    }

    /// <summary>
    /// The token id of a well-formed token string whose checksum holds, or null. Needs no database:
    /// garbage and typos stop here.
    /// </summary>
    public static string? TryParse(string? token)
    {
        if (token is null || token.Length != Length || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var id = token.AsSpan(Prefix.Length, Ids.RandomLength);
        if (!Ids.IsRandomPart(id) || token[Prefix.Length + Ids.RandomLength] != '_')
        {
            return null;
        }
        var bodyLength = Length - ChecksumLength;
        for (var i = Prefix.Length + Ids.RandomLength + 1; i < Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(token[i]))
            {
                return null;
            }
        }
        Span<byte> body = stackalloc byte[bodyLength];
        System.Text.Encoding.ASCII.GetBytes(token.AsSpan(0, bodyLength), body);
        Span<char> expected = stackalloc char[ChecksumLength];
        WriteChecksum(Crc32.Compute(body), expected);
        if (!expected.SequenceEqual(token.AsSpan(bodyLength)))
        {
            return null;
        }
        return string.Concat(Ids.TokenPrefix, id);
    }

    public static byte[] Digest(string token)
    {
        // Every authenticated request comes through here: no intermediate byte array for well-sized input.
        Span<byte> utf8 = token.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(token.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(token.Length)];
        var written = Encoding.UTF8.GetBytes(token, utf8);
        return SHA256.HashData(utf8[..written]);
    }

    public static string Last4(string token) => token[^4..];

    /// <summary>How a token is shown once its secret is gone: sat_…abcd.</summary>
    public static string Masked(string last4) => Prefix + "…" + last4;

    internal static string Checksum(string body)
    {
        Span<char> chars = stackalloc char[ChecksumLength];
        WriteChecksum(Crc32.Compute(Encoding.ASCII.GetBytes(body)), chars);
        return new string(chars);
    }

    private static void WriteChecksum(uint crc, Span<char> chars)
    {
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            chars[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }
    }
}

/// <summary>CRC-32 (IEEE 802.3, the one zlib and PNG use).</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[i] = c;
        }
        return table;
    }
}
