namespace MiniCC.Operators;

/// <summary>Turns what people type (<c>090-1234-5678</c>, <c>+81 90 1234 5678</c>, <c>0081…</c>) into E.164.</summary>
public static class PhoneNumber
{
    /// <summary>True when <paramref name="s"/> is already E.164: a +, then 7 to 15 digits.</summary>
    public static bool IsE164(string? s) => s is { Length: >= 8 and <= 16 } && s[0] == '+' && s.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>Returns the E.164 form, or null with <paramref name="error"/> saying why it is not a phone number.</summary>
    public static string? Normalize(string? input, string defaultCountryCode, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            error = "a phone number is required";
            return null;
        }

        var s = input.Trim();
        var international = false;
        if (s.StartsWith('+'))
        {
            international = true;
            s = s[1..];
        }

        var digits = new System.Text.StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')'))
            {
                error = $"'{input}' contains '{c}'; use digits, spaces, - . ( ) and a leading +";
                return null;
            }
        }

        var d = digits.ToString();
        if (!international)
        {
            if (d.StartsWith("00", StringComparison.Ordinal))
            {
                d = d[2..];
            }
            else if (d.StartsWith('0'))
            {
                d = defaultCountryCode + d[1..];
            }
            else
            {
                error = $"'{input}' is neither international (+country code…) nor national (0…)";
                return null;
            }
        }

        if (d.Length is < 7 or > 15 || d[0] == '0')
        {
            error = $"'{input}' is not a valid phone number (E.164 has 7 to 15 digits after +, not starting with 0)";
            return null;
        }

        return "+" + d;
    }
}
