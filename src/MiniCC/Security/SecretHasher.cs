using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MiniCC.Security;

/// <summary>Salted PBKDF2-SHA256 hashes for operator PINs and user passwords: <c>pbkdf2-sha256$iterations$salt$hash</c>.</summary>
public static class SecretHasher
{
    private const int Iterations = 100_000;
    private const string Scheme = "pbkdf2-sha256";

    public static string Hash(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${Iterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>True when <paramref name="secret"/> matches <paramref name="stored"/>; compared in constant time.</summary>
    public static bool Verify(string? secret, string? stored)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(stored))
        {
            return false;
        }

        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < 1 or > 10_000_000)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
