package statement

import (
	"context"
	"io"

	"sufficiency/care"
)

// Write writes r in format: html (one standalone file), xlsx (a workbook)
// or pdf (printed by headless Chromium). EINVALID for another format.
func Write(ctx context.Context, w io.Writer, format string, r *Report) error {
	switch format {
	case "html":
		return WriteHTML(w, r)
	case "xlsx":
		return WriteXLSX(w, r)
	case "pdf":
		return WritePDF(ctx, w, r)
	}
	return care.Errorf(care.EINVALID, "a statement is written as html, pdf or xlsx, not %q", format)
}
