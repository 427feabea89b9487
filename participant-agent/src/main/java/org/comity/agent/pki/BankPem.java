package org.comity.agent.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The agent's PEM and key-file rules (the coordinator has its own copy: the modules do not depend on each other).
 *
 * <p><b>Security properties.</b> A private key file is created with POSIX mode 0600 set atomically at creation
 * and never replaces an existing file. An encrypted key is PKCS#8 {@code ENCRYPTED PRIVATE KEY}: PBES2 with
 * PBKDF2-HMAC-SHA256 ({@value #PBKDF2_ITERATIONS} iterations, random salt) and AES-256-CBC. Error messages name
 * files and what was expected, never key text or passphrases.
 */
public final class BankPem {
  public static final int PBKDF2_ITERATIONS = 600_000;
  static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private BankPem() {}

  /** Reads the one X.509 certificate in PEM text. */
  public static X509Certificate readCertificate(String pem, String what) throws PkiException {
    List<X509Certificate> all = readCertificates(pem, what);
    if (all.size() != 1) {
      throw new PkiException(what + " holds %d certificates; expected one".formatted(all.size()));
    }
    return all.get(0);
  }

  /** Reads the one X.509 certificate in a PEM file. */
  public static X509Certificate readCertificate(Path file) throws IOException, PkiException {
    return readCertificate(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
  }

  static List<X509Certificate> readCertificates(String pem, String what) throws PkiException {
    if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new PkiException(what + " holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
    }
    try {
      List<X509Certificate> all = new ArrayList<>();
      for (var certificate : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        all.add((X509Certificate) certificate);
      }
      return all;
    } catch (CertificateException e) {
      throw new PkiException(what + " is not a valid PEM X.509 certificate: " + e.getMessage(), e);
    }
  }

  static String toPem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException("PEM encoding failed for " + object.getClass().getSimpleName(), e);
    }
    return text.toString();
  }

  static String privateKeyPem(PrivateKey key, Optional<char[]> passphrase) {
    try {
      var encryptor = passphrase.isEmpty() ? null
          : new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
              .setProvider(BC)
              .setRandom(new SecureRandom())
              .setPRF(PKCS8Generator.PRF_HMACSHA256)
              .setIterationCount(PBKDF2_ITERATIONS)
              .setPassword(passphrase.get())
              .build();
      return toPem(new JcaPKCS8Generator(key, encryptor).generate());
    } catch (Exception e) {
      throw new IllegalStateException("cannot encode the private key as PKCS#8", e);
    }
  }

  /**
   * Reads a PKCS#8 private key, encrypted or not.
   *
   * @throws PkiException if it is not a key, needs a passphrase, or does not decrypt (message without secrets)
   */
  static PrivateKey readPrivateKey(String pem, Optional<char[]> passphrase, String what) throws PkiException {
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      parsed = parser.readObject();
    } catch (IOException e) {
      throw new PkiException(what + " is not valid PEM");
    }
    PrivateKeyInfo info;
    if (parsed instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
      if (passphrase.isEmpty()) {
        throw new PkiException(what + " is encrypted; a passphrase is needed");
      }
      try {
        info = encrypted.decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(passphrase.get()));
      } catch (Exception e) {
        // No cause: decryption errors can carry fragments of the (wrongly) decrypted bytes.
        throw new PkiException(what + " does not decrypt: wrong passphrase, or the file is damaged");
      }
    } else if (parsed instanceof PrivateKeyInfo plain) {
      info = plain;
    } else if (parsed instanceof PEMKeyPair pair) {
      info = pair.getPrivateKeyInfo();
    } else {
      throw new PkiException(what + " holds no private key");
    }
    try {
      var oid = info.getPrivateKeyAlgorithm().getAlgorithm();
      String algorithm = X9ObjectIdentifiers.id_ecPublicKey.equals(oid) ? "EC"
          : PKCSObjectIdentifiers.rsaEncryption.equals(oid) ? "RSA" : null;
      if (algorithm == null) {
        throw new PkiException(what + " holds a key of an unsupported algorithm (OID %s); use EC P-256".formatted(oid));
      }
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (IOException | GeneralSecurityException e) {
      throw new PkiException(what + " is not a usable private key (wrong passphrase or damaged file?)");
    }
  }

  /** Creates {@code file} with mode 0600 (set at creation) and writes {@code text}; never replaces a file. */
  static void writePrivateFile(Path file, String text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null || !parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      throw new IOException("cannot create %s with owner-only permissions: the file system has no POSIX permissions"
          .formatted(file));
    }
    write(file, text, PosixFilePermissions.asFileAttribute(
        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
  }

  /** Creates {@code file} (default permissions) and writes {@code text}; never replaces a file. */
  static void writeNewFile(Path file, String text) throws IOException {
    write(file, text, null);
  }

  private static void write(Path file, String text, java.nio.file.attribute.FileAttribute<?> attribute)
      throws IOException {
    var options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    var attributes = attribute == null ? new java.nio.file.attribute.FileAttribute<?>[0]
        : new java.nio.file.attribute.FileAttribute<?>[] {attribute};
    boolean created = false;
    try (SeekableByteChannel channel = Files.newByteChannel(file, options, attributes)) {
      created = true;
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      if (channel instanceof FileChannel fileChannel) {
        fileChannel.force(true);
      }
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(file.toString(), null,
          "refusing to overwrite an existing file; move it away first if it is really to be replaced");
    } catch (IOException e) {
      if (created) {
        Files.deleteIfExists(file);
      }
      throw e;
    }
  }
}
