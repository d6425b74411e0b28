package ssda903

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// What the first bytes of a file say it is.
type fileKind int

const (
	kindPlain  fileKind = iota // CSV or similar delimited text
	kindXML                    // starts with '<'
	kindEmpty                  // nothing but whitespace
	kindBinary                 // NUL bytes or other binary content
	kindXLSX                   // an Excel 2007+ workbook (zip)
	kindXLS                    // an Excel 97-2003 workbook (OLE compound file)
	kindZip                    // some other zip archive
	kindPDF                    // a PDF document
)

// sniffLen is how much of a file is looked at to decide what it is.
const sniffLen = 64 << 10

// textEncoding is the byte encoding of a text file, from its byte-order mark.
type textEncoding int

const (
	encUTF8 textEncoding = iota
	encUTF16LE
	encUTF16BE
)

// sniff decides what a file is from its first bytes (at most sniffLen). It
// also reports the encoding from any byte-order mark, and whether the text
// uses bare CR line endings (classic Mac Excel) with no LF at all.
func sniff(head []byte) (kind fileKind, enc textEncoding, bareCR bool) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		enc = encUTF16LE
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		enc = encUTF16BE
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		if bytes.Contains(head, []byte("xl/")) || bytes.Contains(head, []byte("[Content_Types].xml")) {
			return kindXLSX, encUTF8, false
		}
		return kindZip, encUTF8, false
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return kindXLS, encUTF8, false
	case bytes.HasPrefix(head, []byte("%PDF")):
		return kindPDF, encUTF8, false
	}
	if enc != encUTF8 {
		head = decodeUTF16(head[2:], enc == encUTF16BE)
	} else {
		head = bytes.TrimPrefix(head, utf8BOM)
	}
	// Binary: NUL bytes, or many control characters.
	ctl := 0
	for _, c := range head {
		if c == 0 {
			return kindBinary, enc, false
		}
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1A {
			ctl++
		}
	}
	if ctl > 8 && ctl*20 > len(head) {
		return kindBinary, enc, false
	}
	t := bytes.TrimLeft(head, " \t\r\n\f\x1a")
	if len(t) == 0 {
		return kindEmpty, enc, false
	}
	bareCR = bytes.IndexByte(head, '\n') < 0 && bytes.IndexByte(head, '\r') >= 0
	if t[0] == '<' {
		return kindXML, enc, bareCR
	}
	return kindPlain, enc, bareCR
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// decodeUTF16 converts UTF-16 bytes (without BOM) to UTF-8. An odd trailing
// byte is dropped.
func decodeUTF16(b []byte, bigEndian bool) []byte {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return []byte(string(utf16.Decode(u)))
}

// utf16Reader streams UTF-16 text (BOM already consumed) as UTF-8.
type utf16Reader struct {
	r         *bufio.Reader
	bigEndian bool
	out       []byte
	pending   rune // a high surrogate waiting for its pair, or 0
	err       error
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		var buf [2]byte
		for i := 0; i < 4096; i++ {
			if _, err := io.ReadFull(u.r, buf[:]); err != nil {
				if err == io.ErrUnexpectedEOF {
					err = io.EOF
				}
				u.err = err
				break
			}
			var c uint16
			if u.bigEndian {
				c = uint16(buf[0])<<8 | uint16(buf[1])
			} else {
				c = uint16(buf[1])<<8 | uint16(buf[0])
			}
			r := rune(c)
			switch {
			case u.pending != 0 && utf16.IsSurrogate(r) && r >= 0xDC00:
				u.out = utf8.AppendRune(u.out, utf16.DecodeRune(u.pending, r))
				u.pending = 0
				continue
			case u.pending != 0:
				u.out = utf8.AppendRune(u.out, utf8.RuneError)
				u.pending = 0
			}
			if utf16.IsSurrogate(r) && r < 0xDC00 {
				u.pending = r
				continue
			}
			u.out = utf8.AppendRune(u.out, r)
		}
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	if len(u.out) == 0 {
		u.out = u.out[:0:cap(u.out)]
	}
	return n, nil
}

// crReader turns bare CR line endings into LF.
type crReader struct{ r io.Reader }

func (c crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// cp1252 maps the bytes 0x80–0x9F of Windows-1252 to Unicode. Bytes 0xA0–0xFF
// are the same code points as Latin-1. The five bytes Windows-1252 leaves
// undefined map to the C1 control of the same value (as browsers do).
var cp1252 = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// appendFixUTF8 appends b to dst as valid UTF-8: valid UTF-8 sequences are
// kept, and every byte that is not part of one is read as Windows-1252. Text
// saved by Excel as "CSV" (not "CSV UTF-8") is Windows-1252; this decodes it
// without guessing per file, and leaves files that mix the two readable.
func appendFixUTF8(dst, b []byte) []byte {
	for len(b) > 0 {
		c := b[0]
		if c < utf8.RuneSelf {
			dst = append(dst, c)
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			if c < 0xA0 {
				r = cp1252[c-0x80]
			} else {
				r = rune(c)
			}
			dst = utf8.AppendRune(dst, r)
			b = b[1:]
			continue
		}
		dst = append(dst, b[:size]...)
		b = b[size:]
	}
	return dst
}

// fixUTF8Reader streams its input as valid UTF-8, decoding stray bytes as
// Windows-1252 (see appendFixUTF8). It reports through sawInvalid whether it
// had to. Used in front of the XML decoder, which rejects invalid UTF-8.
type fixUTF8Reader struct {
	r          io.Reader
	in         []byte // undecoded tail (an incomplete sequence at a buffer end)
	out        []byte // decoded bytes not yet returned
	outBuf     []byte // backing store for out
	err        error
	sawInvalid bool
	buf        []byte
}

func (f *fixUTF8Reader) Read(p []byte) (int, error) {
	for len(f.out) == 0 {
		if f.err != nil {
			if len(f.in) > 0 {
				f.outBuf = appendFixUTF8(f.outBuf[:0], f.in)
				f.out = f.outBuf
				f.sawInvalid = true
				f.in = nil
				break
			}
			return 0, f.err
		}
		if f.buf == nil {
			f.buf = make([]byte, 32<<10)
		}
		n, err := f.r.Read(f.buf)
		f.err = err
		chunk := append(f.in, f.buf[:n]...)
		// Keep back an incomplete UTF-8 sequence at the end for the next read.
		keep := 0
		for i := len(chunk) - 1; i >= 0 && i >= len(chunk)-3; i-- {
			c := chunk[i]
			if c < 0x80 {
				break
			}
			if c >= 0xC0 { // a lead byte: is its sequence complete?
				need := 2
				if c >= 0xE0 {
					need = 3
				}
				if c >= 0xF0 {
					need = 4
				}
				if len(chunk)-i < need {
					keep = len(chunk) - i
				}
				break
			}
		}
		if err != nil {
			keep = 0
		}
		body := chunk[:len(chunk)-keep]
		if !utf8.Valid(body) {
			f.sawInvalid = true
			f.outBuf = appendFixUTF8(f.outBuf[:0], body)
		} else {
			f.outBuf = append(f.outBuf[:0], body...)
		}
		f.out = f.outBuf
		f.in = append([]byte(nil), chunk[len(chunk)-keep:]...)
	}
	n := copy(p, f.out)
	f.out = f.out[n:]
	return n, nil
}

// countingReader counts bytes read, enforces a size limit and reports
// progress every few MiB.
type countingReader struct {
	r        io.Reader
	n        int64
	limit    int64 // 0 = none
	progress func(n int64)
	lastRep  int64
}

var errTooLarge = &sizeError{}

type sizeError struct{}

func (*sizeError) Error() string { return "file larger than the size limit" }

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.limit > 0 && c.n > c.limit {
		return n, errTooLarge
	}
	if c.progress != nil && c.n-c.lastRep >= 4<<20 {
		c.lastRep = c.n
		c.progress(c.n)
	}
	return n, err
}
