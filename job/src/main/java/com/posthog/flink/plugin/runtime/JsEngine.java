package com.posthog.flink.plugin.runtime;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The JVM's one GraalJS {@link Engine} and its TypeScript transpiler.
 *
 * <p>One shared engine makes a plugin context cost about 2 ms and 85 KiB instead of 60 ms and 600
 * KiB, and lets contexts share parsed code (DESIGN.md, "GraalJS: fast mode").
 *
 * <p>The TypeScript compiler turns {@code .ts} files and ES-module JavaScript into CommonJS, as the
 * original's Babel step did (spec §1.3). Loading {@code typescript.js} takes 6–20 s, so it happens
 * only when a file needs it, once per JVM, in a context kept for later transpiles; outputs are
 * cached by content, so reloading a plugin does not transpile it again.
 */
public final class JsEngine {

    private static final String TYPESCRIPT =
            "META-INF/resources/webjars/typescript/5.6.3/lib/typescript.js";

    /** Module syntax at the start of a line: such a file is not plain CommonJS. */
    private static final Pattern MODULE_SYNTAX =
            Pattern.compile("^\\s*(import\\s*[\\w*{'\"]|export\\s)", Pattern.MULTILINE);

    /**
     * Turns TypeScript diagnostics into one thrown SyntaxError, as {@code tsc} prints them. Options
     * as in DESIGN.md; ES2022 keeps class fields, {@code ?.} and {@code ??} as GraalJS runs them.
     */
    private static final String TRANSPILE_FUNCTION =
            """
            (fileName, text) => {
                const result = ts.transpileModule(text, {
                    fileName,
                    reportDiagnostics: true,
                    compilerOptions: {
                        module: ts.ModuleKind.CommonJS,
                        target: ts.ScriptTarget.ES2022,
                        esModuleInterop: false,
                    },
                });
                const errors = result.diagnostics
                    .filter((d) => d.category === ts.DiagnosticCategory.Error)
                    .map((d) => {
                        const text = ts.flattenDiagnosticMessageText(d.messageText, '\\n');
                        if (!d.file) return text;
                        const at = d.file.getLineAndCharacterOfPosition(d.start);
                        return `${fileName}(${at.line + 1},${at.character + 1}): ${text}`;
                    });
                if (errors.length > 0) throw new SyntaxError(errors.join('\\n'));
                return result.outputText;
            }
            """;

    private static volatile Engine engine;

    /** Transpiled outputs by hash of file name and source. */
    private static final Map<String, String> OUTPUTS = new ConcurrentHashMap<>();

    /** The compiler's context and function; guarded by the class lock (a context is one-thread). */
    private static Value transpileFunction;

    private JsEngine() {}

    /** The shared engine, created on first use. */
    public static Engine engine() {
        Engine result = engine;
        if (result == null) {
            synchronized (JsEngine.class) {
                result = engine;
                if (result == null) {
                    result =
                            Engine.newBuilder("js")
                                    .option("engine.WarnInterpreterOnly", "false")
                                    .build();
                    engine = result;
                }
            }
        }
        return result;
    }

    /**
     * A sandboxed context on the shared engine: no host access beyond proxies the runtime passes
     * in, no Java classes, I/O, threads, processes, environment, native code or other languages,
     * and none of GraalJS's non-standard globals ({@code Java}, {@code Polyglot}, {@code Graal},
     * {@code load}, {@code print}); {@code console} is the runtime's own.
     *
     * <p>Every context of one engine must have the same host access configuration (GraalJS refuses
     * others), so the compiler's context is made here too. Host class lookup is left off rather
     * than given a deny-all filter: any filter makes GraalJS define {@code Java}.
     */
    public static Context newContext() {
        return Context.newBuilder("js")
                .engine(engine())
                .allowHostAccess(HostAccess.NONE)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowNativeAccess(false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowExperimentalOptions(true)
                .option("js.ecmascript-version", "latest")
                .option("js.console", "false")
                .option("js.graal-builtin", "false")
                .option("js.java-package-globals", "false")
                .option("js.load", "false")
                .option("js.polyglot-builtin", "false")
                .option("js.print", "false")
                .option("js.global-arguments", "false")
                // As the original ran: local time is UTC and the default locale en-US (Node with
                // no LANG), whatever the machine's.
                .option("js.timezone", "UTC")
                .option("js.locale", "en-US")
                .build();
    }

    /** Whether a plugin file must go through {@link #transpile} before GraalJS can run it. */
    public static boolean needsTranspiling(String fileName, String source) {
        return fileName.endsWith(".ts") || MODULE_SYNTAX.matcher(source).find();
    }

    /**
     * TypeScript or ES-module JavaScript to CommonJS ({@code export} assigns to {@code exports},
     * {@code import} becomes {@code require}). Type-only and unused imports disappear.
     *
     * @throws PluginLoadException with the compiler's diagnostics when the source does not parse
     */
    public static String transpile(String fileName, String source) throws PluginLoadException {
        String key = sha256(fileName + '\0' + source);
        String output = OUTPUTS.get(key);
        if (output == null) {
            output = compile(fileName, source);
            OUTPUTS.put(key, output);
        }
        return output;
    }

    private static synchronized String compile(String fileName, String source)
            throws PluginLoadException {
        if (transpileFunction == null) {
            Context context = newContext();
            URL url = JsEngine.class.getClassLoader().getResource(TYPESCRIPT);
            if (url == null) {
                throw new IllegalStateException(TYPESCRIPT + " is not on the class path");
            }
            try {
                context.eval(Source.newBuilder("js", url).build());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + TYPESCRIPT, e);
            }
            transpileFunction = context.eval("js", TRANSPILE_FUNCTION);
        }
        try {
            return transpileFunction.execute(fileName, source).asString();
        } catch (PolyglotException e) {
            throw new PluginLoadException(e.getMessage());
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
