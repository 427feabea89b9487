package org.comity.pkcs11;

import java.io.IOException;
import java.nio.file.Files;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.login.LoginException;

/**
 * One PKCS#11 token, logged in, through a SunPKCS11 provider configured at run time: generates EC P-256 key pairs
 * inside it, stores and finds them by alias.
 *
 * <p><b>Security properties.</b> Keys generated here are created by the token with {@code CKA_SENSITIVE=true} and
 * {@code CKA_EXTRACTABLE=false}: their value never leaves the token (their {@code getEncoded()} is null) and every
 * signature is computed by the token. The PIN is used once to log in and is never kept, logged or put in a message.
 * What a token does not prevent: while this process runs and is logged in, anyone who controls it can have the
 * token sign (see the threat model).
 *
 * <p>The provider is added to the JDK's provider list while the token is open: the TLS stack and other JCA callers
 * pick a provider by the key they are given, and only this provider can use the token's keys. PKCS#11 login state
 * is per process and token, so {@link #close()} (which logs out) also logs out any other open instance of the same
 * token in this process.
 */
public final class Pkcs11Token implements AutoCloseable {
  private static final AtomicInteger PROVIDER_NUMBERS = new AtomicInteger();

  private final TokenSettings settings;
  private final long slot;
  private final Provider provider;
  private final KeyStore store;

  private Pkcs11Token(TokenSettings settings, long slot, Provider provider, KeyStore store) {
    this.settings = settings;
    this.slot = slot;
    this.provider = provider;
    this.store = store;
  }

  /**
   * Loads the library, finds the token and logs in.
   *
   * @param pin the user PIN; the caller clears it afterwards
   * @throws TokenException naming the flag at fault: no such library, slot or label, or a PIN the token refuses
   */
  public static Pkcs11Token open(TokenSettings settings, char[] pin) throws TokenException {
    requireLibrary(settings);
    if (pin == null || pin.length == 0) {
      throw new TokenException("the PIN for " + settings.tokenDescription() + " is empty");
    }
    long slot = settings.slot().isPresent() ? settings.slot().getAsLong()
        : TokenSlots.findByLabel(settings.library(), settings.tokenLabel().orElseThrow());
    Provider provider = configure(settings, slot);
    Security.addProvider(provider);
    try {
      KeyStore store = KeyStore.getInstance("PKCS11", provider);
      store.load(null, pin);
      return new Pkcs11Token(settings, slot, provider, store);
    } catch (IOException e) {
      Security.removeProvider(provider.getName());
      throw loginFailure(settings, slot, e);
    } catch (GeneralSecurityException e) {
      Security.removeProvider(provider.getName());
      throw new TokenException("cannot open the key store of %s: %s".formatted(describe(settings, slot), e), e);
    }
  }

  /**
   * Checks that the library file exists, so that a command can say so before it asks anyone for a PIN.
   *
   * @throws TokenException naming {@code --pkcs11-library} and the path
   */
  public static void requireLibrary(TokenSettings settings) throws TokenException {
    if (!Files.isRegularFile(settings.library())) {
      throw new TokenException(("--pkcs11-library: no such file %s (SoftHSM on Debian: /usr/lib/softhsm/libsofthsm2.so "
          + "from the package softhsm2; an HSM: its vendor's PKCS#11 module)").formatted(settings.library()));
    }
  }

  private static Provider configure(TokenSettings settings, long slot) throws TokenException {
    String name = "Comity-" + PROVIDER_NUMBERS.incrementAndGet();
    // The leading "--" tells SunPKCS11 that this is the configuration text itself, not a file name.
    String configuration = String.join("\n",
        "--name = " + name,
        "library = \"" + settings.library() + "\"",
        "slot = " + slot,
        // Generated private keys stay inside the token: sensitive (value never revealed) and unextractable
        // (cannot be wrapped out either). SunPKCS11 leaves both to the token's defaults otherwise.
        "attributes(generate, CKO_PRIVATE_KEY, *) = {",
        "  CKA_SENSITIVE = true",
        "  CKA_EXTRACTABLE = false",
        "}",
        "");
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new TokenException("this JDK has no SunPKCS11 provider (module jdk.crypto.cryptoki); use a full JDK 17+");
    }
    try {
      return base.configure(configuration);
    } catch (ProviderException | IllegalArgumentException e) {
      String reason = rootMessage(e);
      if (reason.contains("CKR_SLOT_ID_INVALID") || reason.contains("CKR_TOKEN_NOT_PRESENT")) {
        throw new TokenException(("--pkcs11-slot %d: %s has no token in that slot (list them with the token's tools, "
            + "e.g. softhsm2-util --show-slots, or use --pkcs11-token-label)").formatted(slot, settings.library()), e);
      }
      throw new TokenException("cannot use %s as a PKCS#11 library: %s".formatted(settings.library(), reason), e);
    }
  }

  private static TokenException loginFailure(TokenSettings settings, long slot, IOException e) {
    String reason = rootMessage(e);
    // CKR_PIN_LEN_RANGE: a PIN of a length the token never accepts is just as wrong.
    if (reason.contains("CKR_PIN_INCORRECT") || reason.contains("CKR_PIN_LEN_RANGE")) {
      return new TokenException(("%s refused the PIN (from $%s or the terminal): wrong PIN; tokens lock after a few "
          + "wrong tries").formatted(describe(settings, slot), TokenPin.ENVIRONMENT_VARIABLE));
    }
    if (reason.contains("CKR_PIN_LOCKED")) {
      return new TokenException(describe(settings, slot) + " has locked its user PIN; its security officer must unlock it");
    }
    if (reason.contains("CKR_USER_PIN_NOT_INITIALIZED") || reason.contains("CKR_TOKEN_NOT_RECOGNIZED")) {
      return new TokenException(describe(settings, slot) + " is not initialised: initialise it with the token's tools first");
    }
    return new TokenException("cannot log in to %s: %s".formatted(describe(settings, slot), reason));
  }

  /**
   * Generates an EC P-256 key pair inside the token. The private key is a session object until
   * {@link #storeKey} makes it permanent under an alias.
   */
  public KeyPair generateEcKeyPair() throws TokenException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException | ProviderException e) {
      throw new TokenException("%s cannot generate an EC P-256 key pair: %s".formatted(description(), rootMessage(e)), e);
    }
  }

  /**
   * Stores a private key of this token permanently under {@code alias}, with its certificate chain (the JDK's
   * PKCS#11 key store keeps a key only with a certificate).
   *
   * @throws TokenException if the alias is taken (a token key is never replaced) or the token refuses
   */
  public void storeKey(String alias, PrivateKey key, X509Certificate[] chain) throws TokenException {
    requireAlias(alias);
    if (contains(alias)) {
      throw new TokenException(("%s already holds a key '%s'; a key is generated once: choose another --key-alias, "
          + "or delete the old one with the token's own tools").formatted(description(), alias));
    }
    try {
      store.setKeyEntry(alias, key, null, chain);
    } catch (KeyStoreException | ProviderException e) {
      throw new TokenException("%s refused to store the key '%s': %s".formatted(description(), alias, rootMessage(e)), e);
    }
  }

  /** Whether the token holds a key under {@code alias}. */
  public boolean contains(String alias) throws TokenException {
    try {
      return store.isKeyEntry(alias);
    } catch (KeyStoreException e) {
      throw new TokenException("cannot read the keys of " + description(), e);
    }
  }

  /**
   * The private key stored under {@code alias}: a handle, the key itself stays in the token.
   *
   * @throws TokenException naming the alias and the aliases the token does hold
   */
  public PrivateKey privateKey(String alias) throws TokenException {
    requireAlias(alias);
    try {
      Key key = store.isKeyEntry(alias) ? store.getKey(alias, null) : null;
      if (key instanceof PrivateKey privateKey) {
        return privateKey;
      }
    } catch (GeneralSecurityException e) {
      throw new TokenException("cannot read the key '%s' of %s: %s".formatted(alias, description(), rootMessage(e)), e);
    }
    List<String> aliases = aliases();
    throw new TokenException("--key-alias '%s': %s holds no such key (%s)".formatted(alias, description(),
        aliases.isEmpty() ? "it holds no keys" : "it holds: " + String.join(", ", aliases)));
  }

  /** The certificate stored with the key under {@code alias}. */
  public X509Certificate certificate(String alias) throws TokenException {
    privateKey(alias);
    try {
      Certificate certificate = store.getCertificate(alias);
      if (certificate instanceof X509Certificate x509) {
        return x509;
      }
      throw new TokenException("the key '%s' in %s has no X.509 certificate".formatted(alias, description()));
    } catch (KeyStoreException e) {
      throw new TokenException("cannot read the certificate of '%s' in %s".formatted(alias, description()), e);
    }
  }

  /** Aliases of the token's keys, sorted. */
  public List<String> aliases() throws TokenException {
    try {
      List<String> keys = new ArrayList<>();
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          keys.add(alias);
        }
      }
      Collections.sort(keys);
      return keys;
    } catch (KeyStoreException e) {
      throw new TokenException("cannot list the keys of " + description(), e);
    }
  }

  /** The provider that can use this token's keys (for signers that take an explicit provider). */
  public Provider provider() {
    return provider;
  }

  /** The settings this token was opened with. */
  public TokenSettings settings() {
    return settings;
  }

  /** E.g. "token 'bank-a' (slot 123) of /usr/lib/softhsm/libsofthsm2.so". */
  public String description() {
    return describe(settings, slot);
  }

  /** Logs out and removes the provider; this token's key handles stop working. */
  @Override
  public void close() {
    try {
      if (provider instanceof AuthProvider auth) {
        auth.logout();
      }
    } catch (LoginException e) {
      // Logging out only fails if the session is already gone; the provider is removed either way.
    } finally {
      Security.removeProvider(provider.getName());
    }
  }

  @Override
  public String toString() {
    return "Pkcs11Token[" + description() + "]";
  }

  private static String describe(TokenSettings settings, long slot) {
    return settings.tokenLabel().map(label -> "token '%s' (slot %d)".formatted(label, slot))
        .orElseGet(() -> "the token in slot " + slot) + " of " + settings.library();
  }

  private static void requireAlias(String alias) {
    if (alias == null || !TokenSettings.KEY_ALIAS.matcher(alias).matches()) {
      throw new IllegalArgumentException("key alias '%s' is not valid".formatted(alias));
    }
  }

  /** The messages of the cause chain (PKCS#11 errors are their CKR_ names; no key material or PIN is in them). */
  private static String rootMessage(Throwable error) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && text.indexOf(t.getMessage()) < 0) {
        text.append(text.length() == 0 ? "" : ": ").append(t.getMessage());
      }
    }
    return text.toString();
  }
}
