import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * Keeps one load client JVM alive across the benchmark's runs, so that every measured run uses code
 * the JIT compiler has already settled rather than a fresh JVM that compiles while it measures.
 *
 * <p>Run as a source file: {@code java -cp CLASSPATH bench/ClientDriver.java CLASS METHOD}. Each line
 * of standard input is one run: tab-separated arguments for the static {@code METHOD(String[])} of
 * {@code CLASS}. After each run it prints {@link #END} and the method's result (an exit code, or
 * nothing for a void method) on one line.
 */
public final class ClientDriver {

  static final String END = "=== client run ended:";

  public static void main(String[] args) throws Exception {
    Method run = Class.forName(args[0]).getMethod(args[1], String[].class);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      Object result = run.invoke(null, (Object) line.split("\t"));
      System.out.println(END + " " + (result == null ? "" : result));
      System.out.flush();
    }
  }
}
