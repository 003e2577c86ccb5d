package dev.jxen.render;

import freemarker.template.SimpleScalar;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;

import java.util.List;

/**
 * A value as an xl.cfg string: in double quotes, with the two characters xl's parser takes as
 * special there ({@code "} and {@code \}) escaped, so no value can end the string and add a key.
 * Control characters are refused: the spec lets none through, and xl would read them as escapes.
 * Templates call it as {@code ${xl(kernel)}}.
 */
public final class XlString implements TemplateMethodModelEx {

    public static String quote(String value) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("a control character (0x" + Integer.toHexString(c) + ") in a value for the .cfg: " + value.strip());
            }
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }

    @Override
    public Object exec(@SuppressWarnings("rawtypes") List arguments) throws TemplateModelException {
        if (arguments.size() != 1) {
            throw new TemplateModelException("xl(value) takes one value");
        }
        try {
            return new SimpleScalar(quote(arguments.get(0).toString()));
        } catch (IllegalArgumentException e) {
            throw new TemplateModelException(e.getMessage());
        }
    }
}
