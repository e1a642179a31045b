package review

import (
	"bytes"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"
)

// Photo errors, each a field problem of the form.
var (
	// ErrPhotoType: the file is not a JPEG, PNG or WebP picture by its
	// first bytes, whatever its name says.
	ErrPhotoType = errors.New("review: the photo is not a JPEG, PNG or WebP picture")
	// ErrPhotoSize: the file is over reviews.photo_max_bytes.
	ErrPhotoSize = errors.New("review: the photo is too large")
	// ErrPhotoBroken: it starts like a picture but does not decode, or
	// is more than MaxPixels.
	ErrPhotoBroken = errors.New("review: the photo cannot be read")
)

// sniff names a picture's type by its magic bytes: "" for none of ours.
func sniff(b []byte) string {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return "image/jpeg"
	case len(b) >= 8 && bytes.Equal(b[:8], []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case len(b) >= 12 && bytes.Equal(b[:4], []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WEBP")):
		return "image/webp"
	}
	return ""
}

// CheckPhoto checks a photo by its magic bytes, its size (at most max
// bytes) and its pixels, then re-encodes it, which drops its metadata
// (EXIF: where and when it was taken, the camera): a JPEG or a WebP
// becomes a JPEG, a PNG stays a PNG. Errors are ErrPhotoType,
// ErrPhotoSize and ErrPhotoBroken.
func CheckPhoto(b []byte, maxBytes int64) (Photo, error) {
	if int64(len(b)) > maxBytes {
		return Photo{}, ErrPhotoSize
	}
	kind := sniff(b)
	if kind == "" {
		return Photo{}, ErrPhotoType
	}
	decode, config := jpeg.Decode, jpeg.DecodeConfig
	switch kind {
	case "image/png":
		decode, config = png.Decode, png.DecodeConfig
	case "image/webp":
		decode, config = webp.Decode, webp.DecodeConfig
	}
	cfg, err := config(bytes.NewReader(b))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return Photo{}, ErrPhotoBroken
	}
	img, err := decode(bytes.NewReader(b))
	if err != nil {
		return Photo{}, ErrPhotoBroken
	}
	var out bytes.Buffer
	ct := "image/jpeg"
	if kind == "image/png" {
		ct = "image/png"
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&out, img)
	} else {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: 85})
	}
	if err != nil {
		return Photo{}, fmt.Errorf("re-encode review photo: %w", err)
	}
	bounds := img.Bounds()
	return Photo{PhotoInfo: PhotoInfo{ContentType: ct, Width: bounds.Dx(), Height: bounds.Dy(), Size: int64(out.Len())},
		Data: out.Bytes()}, nil
}
