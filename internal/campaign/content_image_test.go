package campaign

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

// pngImage is a w×h PNG.
func pngImage(tb testing.TB, w, h int) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestReadImage(t *testing.T) {
	t.Parallel()
	ct, w, h, err := readImage(pngImage(t, 30, 20))
	if err != nil || ct != "image/png" || w != 30 || h != 20 {
		t.Errorf("png: %s %d×%d %v", ct, w, h, err)
	}
	for _, bad := range [][]byte{nil, []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), []byte("GIF89a"), pngImage(t, 10001, 1)} {
		if _, _, _, err := readImage(bad); err == nil {
			t.Errorf("%.20q read", bad)
		}
	}
}
