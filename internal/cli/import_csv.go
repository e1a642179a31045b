package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/shopcare/shopcare/internal/app"
)

// csvImport reads one CSV file into the shop: the rows it refuses go to
// rejected with their line and reason, progress is told the bytes read
// so far; it answers how many rows it refused.
type csvImport func(ctx context.Context, a *app.App, in io.Reader, rejected io.Writer, progress func(int64)) (int, error)

// importCSV is the frame every `import` command shares: it opens the
// shop, reads file with run while a progress bar shows on a terminal,
// keeps FILE.rejected.csv beside the file only when rows were refused,
// and hands report the time taken and that file ("" when none), with
// run's error, before the shop closes.
func (g *Globals) importCSV(file string, run csvImport, report func(a *app.App, took time.Duration, rejectedPath string, err error)) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, err := g.open(ctx, g.logger(), false)
	if err != nil {
		return err
	}
	defer a.Stop(context.Background())

	in, err := os.Open(file)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	rejectedPath := strings.TrimSuffix(file, ".csv") + ".rejected.csv"
	rejected, err := os.Create(rejectedPath)
	if err != nil {
		return fmt.Errorf("create %s: %w", rejectedPath, err)
	}

	var bar *progressbar.ProgressBar
	progress := func(int64) {}
	if f, ok := g.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar = progressbar.NewOptions64(info.Size(),
			progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription("importing "+file),
			progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
		progress = func(n int64) { _ = bar.Set64(n) }
	}

	start := time.Now()
	refused, err := run(ctx, a, in, rejected, progress)
	if bar != nil {
		_ = bar.Finish()
	}
	if cerr := rejected.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if refused == 0 {
		_ = os.Remove(rejectedPath)
		rejectedPath = ""
	}
	report(a, time.Since(start), rejectedPath, err)
	return err
}

// rejectedNote is the end of an import's summary line that points to
// the rejected rows, "" when there are none.
func rejectedNote(rejectedPath string) string {
	if rejectedPath == "" {
		return ""
	}
	return "; rejected rows with reasons: " + rejectedPath
}
