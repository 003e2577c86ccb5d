package dev.jxen.render;

import dev.jxen.error.InvalidInputException;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.jxen.system.FileTrust;

/**
 * The FreeMarker templates for every file a person may want to change. A template in
 * {@code /etc/xen-tools/templates/} replaces jxen's own of the same name. What a template writes
 * becomes the .cfg that jxen itself starts as root, or the installer's preseed, so a template (and
 * every one it includes) is read only when root alone can change it, as configuration files, hooks
 * and roles are ({@link FileTrust}), and only when it is a plain file of at most 1 MiB.
 */
public final class Templates {
    private final Configuration cfg;

    public Templates(List<Path> dirsHighestFirst) {
        cfg = new Configuration(Configuration.VERSION_2_3_32);
        List<TemplateLoader> loaders = new ArrayList<>();
        for (Path d : dirsHighestFirst) {
            if (Files.isDirectory(d)) {
                try {
                    loaders.add(new TrustedLoader(d.toFile()));
                } catch (IOException e) {
                    // unreadable: skipped, the next directory answers
                }
            }
        }
        cfg.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(new TemplateLoader[0])));
        cfg.setDefaultEncoding("UTF-8");
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        cfg.setAPIBuiltinEnabled(false);
        cfg.setNewBuiltinClassResolver(freemarker.core.TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
    }

    static final long MAX_BYTES = 1 << 20;

    /** Refuses a template that anyone but root could have written, that is not a plain file, or that is too large to be one. */
    static void trusted(Path p) throws IOException {
        Optional<String> problem = FileTrust.problem(p);
        if (problem.isPresent()) {
            throw new IOException(problem.get() + "; what a template writes runs as root (the .cfg jxen starts, the preseed), "
                    + "so jxen reads only templates that only root can change");
        }
        if (Files.size(p) > MAX_BYTES) {
            throw new IOException(p + " is larger than 1 MiB, which is not a template");
        }
    }

    /** A directory's templates, each checked as it is found (an include as well as the template asked for). */
    private static final class TrustedLoader extends FileTemplateLoader {
        TrustedLoader(java.io.File dir) throws IOException {
            super(dir);
        }

        @Override
        public Object findTemplateSource(String name) throws IOException {
            Object source = super.findTemplateSource(name);
            if (source instanceof java.io.File f) {
                trusted(f.toPath());
            }
            return source;
        }
    }

    /** Renders a template by name ({@code xl.cfg.ftl}) or by absolute path (--template). */
    public String render(String name, Map<String, Object> model) {
        try {
            Template t;
            if (name.startsWith("/")) {
                Path p = Path.of(name);
                trusted(p);
                t = new Template(p.getFileName().toString(), Files.readString(p), cfg);
            } else {
                t = cfg.getTemplate(name);
            }
            StringWriter w = new StringWriter();
            t.process(model, w);
            return w.toString();
        } catch (TemplateException e) {
            throw new InvalidInputException("template " + name + ": " + e.getMessageWithoutStackTop());
        } catch (IOException e) {
            throw new InvalidInputException("template " + name + " cannot be read: " + e.getMessage());
        }
    }
}
