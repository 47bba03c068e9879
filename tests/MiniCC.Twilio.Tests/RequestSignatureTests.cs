using MiniCC.Twilio.Security;

namespace MiniCC.Twilio.Tests;

/// <summary>Twilio's published vectors (docs worked example and the helper libraries' tests).</summary>
public sealed class RequestSignatureTests
{
    private static readonly KeyValuePair<string, string>[] LibraryParams =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", "+14158675309"),
        new("Digits", "1234"),
        new("From", "+14158675309"),
        new("To", "+18005551212"),
    ];

    [Fact]
    public void TheDocsWorkedExampleMatches()
    {
        KeyValuePair<string, string>[] form =
        [
            new("Digits", "1234"),
            new("To", "+18005551212"),
            new("From", "+14158675310"),
            new("Caller", "+14158675310"),
            new("CallSid", "CA1234567890ABCDE"),
        ];
        Assert.Equal("L/OH5YylLD5NRKLltdqwSvS0BnU=", RequestSignature.Compute("12345", "https://example.com/myapp.php?foo=1&bar=2", form));
    }

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("https://mycompany.com:443/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=")]
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2", "OyGYPqTF6ztdbRNCvuQO/oPvqQ4=")]
    [InlineData("http://mycompany.com:80/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")]
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "CYn1h0gLBdNxDGkKJg6hYohgeD8=")]
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")]
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2", "g9IN/x4Cft2g517EjYvEvM/W7LU=")]
    [InlineData("https://MyCompany.com:1234/myapp.php?foo=1&bar=2", "PCqOZm8cnu/L6+u5i5fuEd+Iac4=")]
    [InlineData("http://MyCompany.com/myapp.php?foo=1&bar=2", "XY7AlKOKL6im4yWyX84gldUrtis=")]
    [InlineData("http://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "PJ08CxXr7KLPjEQCTc8LkUSMwSM=")]
    [InlineData("https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "CukzLTc1tT5dXEDIHm/tKBanW10=")]
    [InlineData("https://user:pass@mycompany.com:443/myapp.php?foo=1&bar=2", "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=")]
    [InlineData("https://user@mycompany.com/myapp.php?foo=1&bar=2", "2YRLlVAflCqxaNicjMpJcSTgzSs=")]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2&Body=It%27s+amazing", "TfZzewPq8wqrGlMfyAud8+/IvJ0=")]
    public void TheLibraryVectorsMatch(string url, string expected)
    {
        Assert.Equal(expected, RequestSignature.Compute("12345", url, LibraryParams));
        Assert.True(RequestSignature.IsValid("12345", url, LibraryParams, expected));
    }

    [Fact]
    public void AnExplicitPortIsAlsoCheckedWithoutIt()
    {
        Assert.True(RequestSignature.IsValid("12345", "https://mycompany.com:1234/myapp.php?foo=1&bar=2", LibraryParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void AMissingPortIsAlsoCheckedWithTheDefault()
    {
        Assert.True(RequestSignature.IsValid("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", LibraryParams, "kvajT1Ptam85bY51eRf/AJRuM3w="));
        Assert.True(RequestSignature.IsValid("12345", "http://mycompany.com/myapp.php?foo=1&bar=2", LibraryParams, "0ZXoZLH/DfblKGATFgpif+LLRf4="));
    }

    [Fact]
    public void RepeatedKeysAreSortedByValue()
    {
        KeyValuePair<string, string>[] form =
        [
            new("MessagingBinding.Address", "+1415xxxxxxx"),
            new("MessagingBinding.Address", "+1325xxxxxxx"),
        ];
        Assert.Equal("83O6e2vORAoJHUNzJjDWN1jz+BA=", RequestSignature.Compute("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form));
    }

    [Fact]
    public void WrongSignaturesTokensUrlsAndParametersFail()
    {
        const string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        const string good = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
        Assert.False(RequestSignature.IsValid("12346", url, LibraryParams, good));
        Assert.False(RequestSignature.IsValid("12345", url + "&x=1", LibraryParams, good));
        Assert.False(RequestSignature.IsValid("12345", "https://mycompany.com/other.php?foo=1&bar=2", LibraryParams, good));
        Assert.False(RequestSignature.IsValid("12345", url, LibraryParams.Append(new("Extra", "1")), good));
        Assert.False(RequestSignature.IsValid("12345", url, LibraryParams, null));
        Assert.False(RequestSignature.IsValid("12345", url, LibraryParams, ""));
        Assert.False(RequestSignature.IsValid("12345", url, LibraryParams, good.ToLowerInvariant()));
    }
}
