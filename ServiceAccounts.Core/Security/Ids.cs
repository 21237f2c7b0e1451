using System.Security.Cryptography;

namespace ServiceAccounts.Core.Security;

/// <summary>Identifiers of the form prefix + 20 characters of [0-9a-v] (100 random bits).</summary>
public static class Ids
{
    public const int RandomLength = 20;
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuv";

    public const string UserPrefix = "u_";
    public const string TokenPrefix = "t_";
    public const string EntityPrefix = "e_";

    public static string NewUserId() => UserPrefix + RandomPart();

    public static string NewTokenId() => TokenPrefix + RandomPart();

    public static string NewEntityId() => EntityPrefix + RandomPart();

    public static string RandomPart()
    {
        Span<char> chars = stackalloc char[RandomLength];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        return new string(chars);
    }

    public static bool IsRandomPart(ReadOnlySpan<char> value)
    {
        if (value.Length != RandomLength)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!(c is >= '0' and <= '9' or >= 'a' and <= 'v'))
            {
                return false;
            }
        }
        return true;
    }
}
