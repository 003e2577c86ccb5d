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

/**
 * The FreeMarker templates for every file a person may want to change. A template in
 * {@code /etc/xen-tools/templates/} replaces jxen's own of the same name.
 */
public final class Templates {
    private final Configuration cfg;

    public Templates(List<Path> dirsHighestFirst) {
        cfg = new Configuration(Configuration.VERSION_2_3_32);
        List<TemplateLoader> loaders = new ArrayList<>();
        for (Path d : dirsHighestFirst) {
            if (Files.isDirectory(d)) {
                try {
                    loaders.add(new FileTemplateLoader(d.toFile()));
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

    /** Renders a template by name ({@code xl.cfg.ftl}) or by absolute path (--template). */
    public String render(String name, Map<String, Object> model) {
        try {
            Template t;
            if (name.startsWith("/")) {
                Path p = Path.of(name);
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
