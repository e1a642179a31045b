package review

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"testing"
)

func picture(t testing.TB, encode func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := encode(&b, image.NewGray(image.Rect(0, 0, 8, 6))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngBytes(t testing.TB) []byte {
	return picture(t, func(b *bytes.Buffer, i image.Image) error { return png.Encode(b, i) })
}

func jpegBytes(t testing.TB) []byte {
	return picture(t, func(b *bytes.Buffer, i image.Image) error { return jpeg.Encode(b, i, nil) })
}

// TestCheckPhoto: the type comes from the bytes, not the name; the cap
// holds; the result is re-encoded.
func TestCheckPhoto(t *testing.T) {
	t.Parallel()
	// A JPEG with an EXIF segment (APP1) right after its start: the
	// re-encoded one carries none.
	j := jpegBytes(t)
	exif := append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10}, []byte("Exif\x00\x00GPS-here")...)
	withExif := append(exif, j[2:]...)
	cases := []struct {
		name string
		in   []byte
		max  int64
		want error
		ct   string
	}{
		{"png", pngBytes(t), 1 << 20, nil, "image/png"},
		{"jpeg with exif", withExif, 1 << 20, nil, "image/jpeg"},
		{"too large", pngBytes(t), 10, ErrPhotoSize, ""},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), 1 << 20, ErrPhotoType, ""},
		{"html named photo", []byte("<html><script>alert(1)</script>"), 1 << 20, ErrPhotoType, ""},
		{"png head, garbage", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), 1 << 20, ErrPhotoBroken, ""},
		{"webp head, garbage", []byte("RIFF\x10\x00\x00\x00WEBPVP8 "), 1 << 20, ErrPhotoBroken, ""},
	}
	for _, c := range cases {
		p, err := CheckPhoto(c.in, c.max)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
			continue
		}
		if err != nil {
			continue
		}
		if p.ContentType != c.ct || p.Width != 8 || p.Height != 6 || sniff(p.Data) != c.ct {
			t.Errorf("%s: %+v", c.name, p.PhotoInfo)
		}
		if bytes.Contains(p.Data, []byte("GPS-here")) {
			t.Errorf("%s: the metadata survived", c.name)
		}
	}
}

// FuzzCheckPhoto: any bytes are refused with one of the three errors or
// come back as a picture of our types within the pixel cap; never a panic.
func FuzzCheckPhoto(f *testing.F) {
	f.Add(pngBytes(f))
	f.Add(jpegBytes(f))
	f.Add([]byte("RIFF\x10\x00\x00\x00WEBPVP8 "))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := CheckPhoto(b, 1<<20)
		if err != nil {
			if !errors.Is(err, ErrPhotoType) && !errors.Is(err, ErrPhotoSize) && !errors.Is(err, ErrPhotoBroken) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if sniff(p.Data) != p.ContentType || p.Width*p.Height > MaxPixels || p.Width <= 0 {
			t.Fatalf("took %+v", p.PhotoInfo)
		}
	})
}

// FuzzCheck: the form's checks never panic; a form they take rates each
// line it keeps 1 to 5, within the order's lines, with a clean text.
func FuzzCheck(f *testing.F) {
	f.Add(1, 5, "отлично", 2, 0, "")
	f.Add(0, 3, "", 9, 4, "a\x00")
	f.Add(2, -1, "\xff", 2, 5, "twice")
	f.Fuzz(func(t *testing.T, l1, r1 int, t1 string, l2, r2 int, t2 string) {
		in := Input{Lines: []LineInput{{Line: l1, Rating: r1, Text: t1}, {Line: l2, Rating: r2, Text: t2}}}
		_, errs := check(in, 2, 1<<20)
		if len(errs) > 0 {
			return
		}
		rated := 0
		for _, l := range in.Lines {
			if l.Rating == 0 {
				continue
			}
			rated++
			if l.Line < 1 || l.Line > 2 || l.Rating < 1 || l.Rating > 5 {
				t.Fatalf("took %+v", l)
			}
		}
		if rated == 0 {
			t.Fatal("took a form with nothing rated")
		}
	})
}
