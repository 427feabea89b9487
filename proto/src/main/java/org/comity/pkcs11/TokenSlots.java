package org.comity.pkcs11;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a token's slot id by its label. SunPKCS11 selects tokens only by slot, and slot ids are not stable for every
 * token (SoftHSM assigns one when a token is initialised), so a label is the operator's friendlier handle.
 *
 * <p>The JDK has no public API for token labels; this reads them with the JDK's own PKCS#11 wrapper
 * ({@code sun.security.pkcs11.wrapper}), reached by reflection because compiling against it is not allowed with
 * {@code --release}. At run time the package must be exported to the class path: the Comity jars declare
 * {@code Add-Exports} in their manifests and the tests pass {@code --add-exports}. The library is initialised
 * exactly as SunPKCS11 does it (OS locking), and the wrapper keeps one instance per library path, so SunPKCS11
 * reuses it afterwards.
 */
final class TokenSlots {
  private static final String WRAPPER = "sun.security.pkcs11.wrapper.";
  private static final long CKF_OS_LOCKING_OK = 0x2L;

  private TokenSlots() {}

  /** The slot id of the one token labelled {@code label}. */
  static long findByLabel(Path library, String label) throws TokenException {
    List<String> seen = new ArrayList<>();
    List<Long> matches = new ArrayList<>();
    try {
      Class<?> pkcs11 = Class.forName(WRAPPER + "PKCS11");
      Class<?> initArgsClass = Class.forName(WRAPPER + "CK_C_INITIALIZE_ARGS");
      Object initArgs = initArgsClass.getConstructor().newInstance();
      initArgsClass.getField("flags").setLong(initArgs, CKF_OS_LOCKING_OK);
      Object module = pkcs11.getMethod("getInstance", String.class, String.class, initArgsClass, boolean.class)
          .invoke(null, library.toString(), "C_GetFunctionList", initArgs, false);
      long[] slots = (long[]) pkcs11.getMethod("C_GetSlotList", boolean.class).invoke(module, true);
      for (long slot : slots) {
        Object info = pkcs11.getMethod("C_GetTokenInfo", long.class).invoke(module, slot);
        // PKCS#11 labels are fixed-width, blank-padded.
        String tokenLabel = new String((char[]) info.getClass().getField("label").get(info)).strip();
        seen.add("'%s' in slot %d".formatted(tokenLabel, slot));
        if (tokenLabel.equals(label)) {
          matches.add(slot);
        }
      }
    } catch (IllegalAccessException e) {
      throw new TokenException(("finding a token by label (--pkcs11-token-label) needs the JDK's PKCS#11 wrapper: run "
          + "java with --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED (the Comity jars "
          + "declare it), or give --pkcs11-slot instead"), e);
    } catch (InvocationTargetException e) {
      throw new TokenException("cannot list the tokens of the PKCS#11 library %s: %s"
          .formatted(library, e.getCause()), e.getCause());
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new TokenException("this JDK's PKCS#11 wrapper cannot list token labels (%s); give --pkcs11-slot instead"
          .formatted(e), e);
    }
    if (matches.isEmpty()) {
      throw new TokenException("no token labelled '%s' in %s (tokens found: %s)"
          .formatted(label, library, seen.isEmpty() ? "none" : String.join(", ", seen)));
    }
    if (matches.size() > 1) {
      throw new TokenException("%d tokens are labelled '%s' (slots %s); give --pkcs11-slot instead"
          .formatted(matches.size(), label, matches));
    }
    return matches.get(0);
  }
}
