package campaign

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // GIF's size
	_ "image/jpeg" // JPEG's size
	_ "image/png"  // PNG's size
	"strings"
	"time"

	_ "golang.org/x/image/webp" // WebP's size

	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/store"
)

// Image is an image of a campaign's content, served by shopcare at
// /ci/{token} (ImageURL).
type Image struct {
	ID          int64
	Token       string
	Name        string
	ContentType string
	Size        int64
	Width       int
	Height      int
	// URL is where customers' mail programs load it.
	URL       string
	CreatedAt time.Time
}

// maxImageName bounds an image's file name as kept.
const maxImageName = 200

// sniffImage names the image type of data by its first bytes (JPEG, PNG,
// GIF, WebP), "" for anything else: what the shop's upload says it is
// does not count.
func sniffImage(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "image/gif"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "image/webp"
	}
	return ""
}

// maxImageSide bounds an image's width and height: a campaign's image is
// at most a few screens wide, and a decompression bomb is not one.
const maxImageSide = 10000

// readImage sniffs data's type and reads its width and height.
func readImage(data []byte) (contentType string, width, height int, err error) {
	contentType = sniffImage(data)
	if contentType == "" {
		return "", 0, 0, invalid.Field("image", "invalid", "not a JPEG, PNG, GIF or WebP image")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxImageSide || cfg.Height > maxImageSide {
		return "", 0, 0, invalid.Field("image", "invalid", "not a readable %s image of at most %d×%d pixels",
			strings.TrimPrefix(contentType, "image/"), maxImageSide, maxImageSide)
	}
	return contentType, cfg.Width, cfg.Height, nil
}

// SaveImage stores an image for campaigns' content: JPEG, PNG, GIF or
// WebP by its bytes (contentType, what the upload claimed, is only
// checked to be an image's), at most campaigns.image_max_bytes, its width
// and height read from it. The image's token is random and unguessable;
// its address is ImageURL(token).
func (s *Service) SaveImage(ctx context.Context, name, contentType string, data []byte) (Image, error) {
	maxBytes := s.deps.Settings.Campaigns.ImageMaxBytes
	img := Image{Name: cleanImageName(name), Size: int64(len(data)), CreatedAt: s.deps.Clock.Now()}
	switch {
	case maxBytes == 0:
		return Image{}, invalid.Field("image", "disabled", "images are switched off (campaigns.image_max_bytes is 0)")
	case len(data) == 0:
		return Image{}, invalid.Field("image", "required", "upload an image")
	case int64(len(data)) > maxBytes:
		return Image{}, invalid.Field("image", "too_big", "%d bytes, at most %d (campaigns.image_max_bytes)", len(data), maxBytes)
	}
	if contentType != "" && !strings.HasPrefix(contentType, "image/") && contentType != "application/octet-stream" {
		return Image{}, invalid.Field("image", "invalid", "%q is not an image's type", contentType)
	}
	var err error
	if img.ContentType, img.Width, img.Height, err = readImage(data); err != nil {
		return Image{}, err
	}
	var raw [18]byte
	_, _ = rand.Read(raw[:])
	img.Token = base64.RawURLEncoding.EncodeToString(raw[:])
	img.URL = s.ImageURL(img.Token)
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO campaign_images (token, name, content_type, size, width, height, data, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, img.Token, img.Name, img.ContentType, img.Size,
			img.Width, img.Height, data, img.CreatedAt).Scan(&img.ID)
	})
	if err != nil {
		return Image{}, fmt.Errorf("save campaign image %q: %w", img.Name, err)
	}
	return img, nil
}

// cleanImageName keeps a file name's last part, printable, bounded.
func cleanImageName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0xFFFD {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	name = strings.TrimSpace(name)
	for len(name) > maxImageName {
		r := []rune(name)
		name = string(r[:len(r)-1])
	}
	if name == "" {
		name = "image"
	}
	return name
}

// ImageURL is where an image of campaigns' content is served.
func (s *Service) ImageURL(token string) string {
	return s.deps.Settings.Shop.PublicURL + "/ci/" + token
}

// ImageData returns the image with token and its bytes; an unknown token
// is ErrUnknownToken.
func (s *Service) ImageData(ctx context.Context, token string) (Image, []byte, error) {
	var img Image
	var data []byte
	if len(token) != 24 {
		return Image{}, nil, ErrUnknownToken
	}
	err := s.db.Read().QueryRow(ctx, `SELECT id, token, name, content_type, size, width, height, data, created_at
		FROM campaign_images WHERE token = $1`, token).Scan(&img.ID, &img.Token, &img.Name, &img.ContentType, &img.Size,
		&img.Width, &img.Height, &data, &img.CreatedAt)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Image{}, nil, ErrUnknownToken
		}
		return Image{}, nil, fmt.Errorf("load campaign image %s: %w", token, err)
	}
	img.URL = s.ImageURL(img.Token)
	return img, data, nil
}
