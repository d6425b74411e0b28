//go:build !unix

package statement

import (
	"context"
	"io"

	"sufficiency/care"
)

// WritePDF needs headless Chromium over a DevTools pipe, which this build
// supports on Unix systems only.
func WritePDF(ctx context.Context, w io.Writer, r *Report) error {
	return care.Errorf(care.EUNUSABLE, "printing a PDF is supported on Linux and macOS only; the HTML statement can be printed from a browser instead")
}
