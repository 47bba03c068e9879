using MiniCC.Operators;

namespace MiniCC.Tests.Operators;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("+819012345678", "+819012345678")]
    [InlineData("+81 90 1234 5678", "+819012345678")]
    [InlineData("090-1234-5678", "+819012345678")]
    [InlineData("(03) 1234-5678", "+81312345678")]
    [InlineData("0081 90 1234 5678", "+819012345678")]
    [InlineData(" +1 (415) 867-5309 ", "+14158675309")]
    public void NumbersAreNormalisedToE164(string input, string expected) =>
        Assert.Equal(expected, PhoneNumber.Normalize(input, "81", out _));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("12345")]
    [InlineData("+0123456789")]
    [InlineData("+12")]
    [InlineData("+1234567890123456")]
    [InlineData("090-1234-5678; DROP TABLE operators")]
    [InlineData("client:operator_1")]
    public void NonNumbersAreRefusedWithAReason(string input)
    {
        Assert.Null(PhoneNumber.Normalize(input, "81", out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TheDefaultCountryCodeIsUsedForNationalNumbers() =>
        Assert.Equal("+14155550100", PhoneNumber.Normalize("0415-555-0100", "1", out _));
}
