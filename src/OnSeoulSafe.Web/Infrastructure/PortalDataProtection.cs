using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// The Data Protection key ring (staff and victim cookies, antiforgery tokens, TempData) lives in the database so
/// every portal instance reads and writes the same keys; each key is encrypted there with the field-encryption
/// key ring from configuration, so a copy of the database alone cannot forge a session.
/// </summary>
public static class PortalDataProtection
{
    public const string ApplicationName = "OnSeoulSafe";

    public static IServiceCollection AddPortalDataProtection(this IServiceCollection services)
    {
        // Data Protection's own EF Core store (the DataProtectionKeys table); each key is encrypted before it is stored.
        // AES-256-GCM rather than the default AES-CBC with a separate HMAC: one pass instead of two, and every visitor of
        // the intake page is handed two freshly protected antiforgery tokens. Keys made before keep their own algorithm.
        services.AddDataProtection().SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<PortalDbContext>()
            .UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration
            {
                EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM,
                ValidationAlgorithm = ValidationAlgorithm.HMACSHA256,
            });
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
            options.XmlEncryptor = new FieldCipherXmlEncryptor(sp.GetRequiredService<FieldCipher>())));
        return services;
    }
}

/// <summary>Encrypts a key's XML with the active field-encryption key (AES-256-GCM, key id carried along).</summary>
public sealed class FieldCipherXmlEncryptor(FieldCipher cipher) : IXmlEncryptor
{
    internal const string ElementName = "fieldCipherEncryptedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var sealedKey = cipher.Encrypt(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var element = new XElement(
            ElementName,
            new XComment(" Encrypted with the portal's field-encryption key ring (Portal:Secrets:EncryptionKeys). "),
            new XElement("value", Convert.ToBase64String(sealedKey)));
        return new EncryptedXmlInfo(element, typeof(FieldCipherXmlDecryptor));
    }
}

/// <summary>Created by Data Protection from the type name stored with each key, with the app's services.</summary>
public sealed class FieldCipherXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var value = encryptedElement.Element("value")?.Value
            ?? throw new InvalidOperationException("An encrypted Data Protection key has no value.");
        var cipher = services.GetRequiredService<FieldCipher>();
        return XElement.Parse(cipher.Decrypt(Convert.FromBase64String(value)));
    }
}
