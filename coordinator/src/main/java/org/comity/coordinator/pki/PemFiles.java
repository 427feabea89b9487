package org.comity.coordinator.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
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
import java.util.Set;
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
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * PEM encoding and the file rules of the consortium PKI.
 *
 * <p><b>Security properties.</b> Private keys are written only to files created here, with POSIX mode 0600 set at
 * creation (no window with wider permissions) and never over an existing file. An encrypted key is PKCS#8
 * {@code ENCRYPTED PRIVATE KEY}: PBES2 with PBKDF2-HMAC-SHA256 ({@value #PBKDF2_ITERATIONS} iterations, random
 * salt) and AES-256-CBC. Exception messages name files and what was expected, never key text or passphrases.
 * Passphrase arrays belong to the caller, who should clear them after use.
 */
public final class PemFiles {
  /** PBKDF2 iterations for encrypted keys (OWASP 2023 figure for PBKDF2-HMAC-SHA256). */
  public static final int PBKDF2_ITERATIONS = 600_000;

  static final BouncyCastleProvider BC = new BouncyCastleProvider();
  private static final Set<PosixFilePermission> OWNER_READ_WRITE = EnumSet.of(
      PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private PemFiles() {}

  /** PEM text of a certificate, CRL, CSR or other BC/JCA object {@link JcaPEMWriter} understands. */
  public static String toPem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException("PEM encoding failed for " + object.getClass().getSimpleName(), e);
    }
    return text.toString();
  }

  /**
   * PKCS#8 PEM of a private key: {@code ENCRYPTED PRIVATE KEY} with a passphrase, {@code PRIVATE KEY} without.
   */
  public static String privateKeyPem(PrivateKey key, Optional<char[]> passphrase) {
    try {
      OutputEncryptor encryptor = null;
      if (passphrase.isPresent()) {
        if (passphrase.get().length == 0) {
          throw new IllegalArgumentException("the passphrase is empty; give a non-empty passphrase or none");
        }
        encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
            .setProvider(BC)
            .setRandom(new SecureRandom())
            .setPRF(PKCS8Generator.PRF_HMACSHA256)
            .setIterationCount(PBKDF2_ITERATIONS)
            .setPassword(passphrase.get())
            .build();
      }
      PemObject pem = new JcaPKCS8Generator(key, encryptor).generate();
      return toPem(pem);
    } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalStateException("cannot encode the private key as PKCS#8", e);
    }
  }

  /**
   * Reads a PKCS#8 private key (encrypted or not; a traditional {@code EC PRIVATE KEY} is accepted too).
   *
   * @param what names the key in error messages, e.g. a file name
   * @throws PkiException if the text is not a private key, needs a passphrase that was not given, or does not
   *     decrypt with the one given; the message never contains the key or the passphrase
   */
  public static PrivateKey readPrivateKey(String pem, Optional<char[]> passphrase, String what) throws PkiException {
    Object parsed = parseSingle(pem, what);
    PrivateKeyInfo info;
    if (parsed instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
      if (passphrase.isEmpty()) {
        throw new PkiException(what + " is encrypted; a passphrase is needed");
      }
      try {
        info = encrypted.decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(passphrase.get()));
      } catch (Exception e) {
        // Deliberately no cause: decryption errors can carry fragments of the decrypted (wrong) plaintext.
        throw new PkiException(what + " does not decrypt: wrong passphrase, or the file is damaged");
      }
    } else if (parsed instanceof PrivateKeyInfo plain) {
      info = plain;
    } else if (parsed instanceof PEMKeyPair pair) {
      info = pair.getPrivateKeyInfo();
    } else {
      throw new PkiException(what + " holds no private key (found " + describe(parsed) + ")");
    }
    try {
      String algorithm = jcaKeyAlgorithm(info);
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (IOException | GeneralSecurityException e) {
      throw new PkiException(what + " is not a usable EC or RSA private key (wrong passphrase or damaged file?)");
    }
  }

  private static String jcaKeyAlgorithm(PrivateKeyInfo info) throws GeneralSecurityException {
    var oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
      return "EC";
    }
    if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
      return "RSA";
    }
    throw new GeneralSecurityException("unsupported key algorithm " + oid);
  }

  /** Reads every certificate in a PEM text (a chain: leaf first). */
  public static List<X509Certificate> readCertificates(String pem, String what) throws PkiException {
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new PkiException(what + " holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> chain = new ArrayList<>();
      for (var certificate : factory.generateCertificates(
          new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        chain.add((X509Certificate) certificate);
      }
      if (chain.isEmpty()) {
        throw new PkiException(what + " holds no certificate");
      }
      return List.copyOf(chain);
    } catch (CertificateException e) {
      throw new PkiException(what + " is not a valid PEM X.509 certificate: " + e.getMessage(), e);
    }
  }

  /** Reads the one certificate in a PEM text. */
  public static X509Certificate readCertificate(String pem, String what) throws PkiException {
    List<X509Certificate> certificates = readCertificates(pem, what);
    if (certificates.size() != 1) {
      throw new PkiException(what + " holds %d certificates; expected one".formatted(certificates.size()));
    }
    return certificates.get(0);
  }

  static Object parseSingle(String pem, String what) throws PkiException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object first = parser.readObject();
      if (first == null) {
        throw new PkiException(what + " holds no PEM object");
      }
      return first;
    } catch (IOException e) {
      // PEM parser messages name the structure, not its content; the cause is dropped all the same.
      throw new PkiException(what + " is not valid PEM");
    }
  }

  private static String describe(Object parsed) {
    return parsed.getClass().getSimpleName();
  }

  /** Reads a text file (US-ASCII PEM or JSON). */
  public static String readText(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /**
   * Creates {@code file} with mode 0600 and writes {@code text}; refuses to replace an existing file.
   *
   * <p>The mode is set atomically at creation. A file system without POSIX permissions is refused with an
   * {@link IOException} rather than leaving a key readable by others.
   */
  public static void writePrivateFile(Path file, String text) throws IOException {
    createNew(file, text, true);
  }

  /** Creates {@code file} (default permissions) and writes {@code text}; refuses to replace an existing file. */
  public static void writeNewFile(Path file, String text) throws IOException {
    createNew(file, text, false);
  }

  /** Replaces {@code file} atomically (write a sibling, then rename) so readers never see half a file. */
  public static void replaceFile(Path file, String text) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
    try {
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static void createNew(Path file, String text, boolean ownerOnly) throws IOException {
    Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileAttribute<?>[] attributes = ownerOnly && supportsPosix(file)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
        : new FileAttribute<?>[0];
    if (ownerOnly && attributes.length == 0) {
      throw new IOException("cannot create %s with owner-only permissions: the file system has no POSIX permissions"
          .formatted(file));
    }
    boolean created = false;
    try (SeekableByteChannel channel = Files.newByteChannel(file, options, attributes)) {
      created = true;
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      if (channel instanceof java.nio.channels.FileChannel fileChannel) {
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

  private static boolean supportsPosix(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    return parent != null && parent.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
