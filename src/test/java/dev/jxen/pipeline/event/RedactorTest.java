package dev.jxen.pipeline.event;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RedactorTest {
    @Test
    void aSecretIsMaskedWhereverItStandsAsAWord() {
        Redactor r = new Redactor();
        r.addSecret("x");
        assertEquals("Start it with: xl create /etc/xen/web1.cfg", r.redact("Start it with: xl create /etc/xen/web1.cfg"));
        assertEquals("--password=******** root:******** '********'", r.redact("--password=x root:x 'x'"));
    }

    @Test
    void aLongSecretIsMaskedEverywhereItStandsAlone() {
        Redactor r = new Redactor();
        r.addSecret("Tr0ub4dor&3");
        assertEquals("chpasswd < root:********\\n and ********", r.redact("chpasswd < root:Tr0ub4dor&3\\n and Tr0ub4dor&3"));
    }

    @Test
    void aLongSecretIsMaskedEvenInsideAWord() {
        Redactor r = new Redactor();
        r.addSecret("abcdefgh12");
        assertEquals("x********y", r.redact("xabcdefgh12y"));
    }

    @Test
    void aShortSecretEndingInPunctuationIsMaskedBeforeLetters() {
        Redactor r = new Redactor();
        r.addSecret("pw!");
        assertEquals("********abc", r.redact("pw!abc"));
    }

    @Test
    void regexCharactersInASecretAreTakenLiterally() {
        Redactor r = new Redactor();
        r.addSecret("a.b$1");
        assertEquals("axb$1 ********", r.redact("axb$1 a.b$1"));
    }
}
