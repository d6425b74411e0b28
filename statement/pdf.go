//go:build unix

package statement

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"

	"sufficiency/care"
)

// footer is the printed page footer: the statement's title and the page number.
const footer = `<div style="font-family: Arial, sans-serif; font-size: 8pt; color: #505a5f; width: 100%; padding: 0 14mm; display: flex; justify-content: space-between;"><span class="title"></span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`

// printers is how many PDFs print at once in one process.
const printers = 2

var printing = make(chan struct{}, printers)

// WritePDF prints the statement on A4 with headless Chromium: a cover and
// contents page with each section's page number, sections starting on new
// pages, table rows never split across pages, page numbers in the footer,
// charts as vectors. It prints twice: the first print finds the page each
// section starts on (from the PDF's named destinations), the second prints
// those numbers in the contents.
func WritePDF(ctx context.Context, w io.Writer, r *Report) error {
	// At most printers Chromiums at once: each takes a few hundred MB, and
	// the web app may be asked for many PDFs together.
	select {
	case printing <- struct{}{}:
		defer func() { <-printing }()
	case <-ctx.Done():
		return care.WrapError(care.EUNUSABLE, ctx.Err(), "waiting to print the PDF")
	}
	b, err := startBrowser()
	if err != nil {
		return err
	}
	defer b.close()
	path := filepath.Join(b.dir, "statement.html")
	write := func(v htmlView) error {
		var buf bytes.Buffer
		if err := writeHTML(&buf, v); err != nil {
			return err
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			return care.WrapError(care.EUNUSABLE, err, "write the statement for Chromium")
		}
		return nil
	}
	if err := write(htmlView{Report: r, Print: true}); err != nil {
		return err
	}
	t, err := b.open(ctx, path)
	if err != nil {
		return err
	}
	first, err := t.printPDF(ctx, PrintOptions{Footer: footer})
	if err != nil {
		return err
	}
	out := first
	if pages := namedDestPages(first); len(pages) > 0 {
		if err := write(htmlView{Report: r, Print: true, Pages: pages}); err != nil {
			return err
		}
		if err := t.load(ctx, path); err != nil {
			return err
		}
		if out, err = t.printPDF(ctx, PrintOptions{Footer: footer}); err != nil {
			return err
		}
	}
	if _, err := w.Write(out); err != nil {
		return care.WrapError(care.EUNUSABLE, err, "write the PDF")
	}
	return nil
}
