package review

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopcare/shopcare/internal/store"
)

// columns are a review's columns with whether it has a photo, in scan's
// order.
const columns = `r.id, r.order_id, r.order_number, r.customer_id, r.line, r.sku, r.product_name, r.rating, r.body, r.author,
	r.language, r.source, r.status, r.reject_reason, r.reply, r.reply_at, r.moderated_by, r.published_at, r.platform_id,
	r.created_at, r.updated_at, p.content_type, p.width, p.height, p.size`

const from = ` FROM reviews r LEFT JOIN review_photos p ON p.review_id = r.id`

func scan(row interface{ Scan(...any) error }) (Review, error) {
	var r Review
	var ct *string
	var w, h *int
	var size *int64
	err := row.Scan(&r.ID, &r.OrderID, &r.OrderNumber, &r.CustomerID, &r.Line, &r.SKU, &r.ProductName, &r.Rating, &r.Text,
		&r.Author, &r.Language, &r.Source, &r.Status, &r.RejectReason, &r.Reply, &r.ReplyAt, &r.ModeratedBy,
		&r.PublishedAt, &r.PlatformID, &r.CreatedAt, &r.UpdatedAt, &ct, &w, &h, &size)
	if err != nil {
		return Review{}, err
	}
	if ct != nil && w != nil && h != nil && size != nil {
		r.Photo = &PhotoInfo{ContentType: *ct, Width: *w, Height: *h, Size: *size}
	}
	return r, nil
}

func list(ctx context.Context, q store.Querier, where string, args ...any) ([]Review, error) {
	var out []Review
	err := store.Each(ctx, q, `SELECT `+columns+from+` `+where, args, func(rows store.Rows) error {
		r, err := scan(rows)
		if err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// listByOrder returns an order's reviews by line.
func listByOrder(ctx context.Context, q store.Querier, orderID int64) ([]Review, error) {
	out, err := list(ctx, q, `WHERE r.order_id = $1 ORDER BY r.line`, orderID)
	if err != nil {
		return nil, fmt.Errorf("load reviews of order %d: %w", orderID, err)
	}
	return out, nil
}

// ListByOrder returns an order's reviews by line (the admin's order page).
func (s *Service) ListByOrder(ctx context.Context, orderID int64) ([]Review, error) {
	return listByOrder(ctx, s.db.Read(), orderID)
}

// Get returns review id; store.ErrNotFound when there is none.
func (s *Service) Get(ctx context.Context, id int64) (Review, error) {
	return get(ctx, s.db.Read(), id)
}

func get(ctx context.Context, q store.Querier, id int64) (Review, error) {
	r, err := scan(q.QueryRow(ctx, `SELECT `+columns+from+` WHERE r.id = $1`, id))
	if err != nil {
		return Review{}, fmt.Errorf("load review %d: %w", id, err)
	}
	return r, nil
}

// Query selects reviews: by status (all when empty) and SKU (all when
// empty), the newest first, a page of Limit after Offset.
type Query struct {
	Status, SKU   string
	Limit, Offset int
}

// MaxLimit is the largest page of reviews.
const MaxLimit = 100

// List returns a page of the reviews q selects and how many it selects
// in all. Published reviews come by their publishing time, the others by
// their last change.
func (s *Service) List(ctx context.Context, q Query) ([]Review, int, error) {
	var conds []string
	var args []any
	if q.Status != "" {
		args = append(args, q.Status)
		conds = append(conds, fmt.Sprintf("r.status = $%d", len(args)))
	}
	if q.SKU != "" {
		args = append(args, q.SKU)
		conds = append(conds, fmt.Sprintf("r.sku = $%d", len(args)))
	}
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM reviews r `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count reviews: %w", err)
	}
	if q.Limit <= 0 || q.Limit > MaxLimit {
		q.Limit = MaxLimit
	}
	q.Offset = max(q.Offset, 0)
	order := "r.updated_at DESC, r.id DESC"
	if q.Status == Published {
		order = "r.published_at DESC, r.id DESC"
	}
	args = append(args, q.Limit, q.Offset)
	out, err := list(ctx, s.db.Read(), fmt.Sprintf("%s ORDER BY %s LIMIT $%d OFFSET $%d", where, order, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list reviews: %w", err)
	}
	return out, total, nil
}

// Counts returns how many reviews are in each status (the admin's tabs).
func (s *Service) Counts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	err := store.Each(ctx, s.db.Read(), `SELECT status, COUNT(*) FROM reviews GROUP BY status`, nil, func(r store.Rows) error {
		var st string
		var n int
		if err := r.Scan(&st, &n); err != nil {
			return err
		}
		out[st] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count reviews by status: %w", err)
	}
	return out, nil
}

// Summarize returns the published reviews of sku in figures (of all
// products when sku is empty).
func (s *Service) Summarize(ctx context.Context, sku string) (Summary, error) {
	out := Summary{SKU: sku}
	query, args := `SELECT rating, COUNT(*) FROM reviews WHERE status = $1 GROUP BY rating`, []any{Published}
	if sku != "" {
		query, args = `SELECT rating, COUNT(*) FROM reviews WHERE status = $1 AND sku = $2 GROUP BY rating`, []any{Published, sku}
	}
	sum := 0
	err := store.Each(ctx, s.db.Read(), query, args, func(r store.Rows) error {
		var rating, n int
		if err := r.Scan(&rating, &n); err != nil {
			return err
		}
		if rating >= 1 && rating <= 5 {
			out.Stars[rating-1] = n
			out.Count += n
			sum += rating * n
		}
		return nil
	})
	if err != nil {
		return Summary{}, fmt.Errorf("summarize reviews of %q: %w", sku, err)
	}
	if out.Count > 0 {
		out.Average = float64(sum) / float64(out.Count)
	}
	return out, nil
}

// Photo returns review id's photo; store.ErrNotFound when it has none.
// publishedOnly refuses the photo of a review not published (the public
// pages).
func (s *Service) Photo(ctx context.Context, id int64, publishedOnly bool) (Photo, error) {
	var p Photo
	query := `SELECT p.content_type, p.width, p.height, p.size, p.data FROM review_photos p JOIN reviews r ON r.id = p.review_id
		WHERE p.review_id = $1`
	if publishedOnly {
		query += ` AND r.status = 'published'`
	}
	err := s.db.Read().QueryRow(ctx, query, id).Scan(&p.ContentType, &p.Width, &p.Height, &p.Size, &p.Data)
	if err != nil {
		return Photo{}, fmt.Errorf("load photo of review %d: %w", id, err)
	}
	return p, nil
}

// ForCustomer returns customer id's reviews in every state, the newest
// first, with whether each has a photo (not its bytes): their copy of
// their data (the API's export). Never nil.
func (s *Service) ForCustomer(ctx context.Context, customerID int64) ([]Review, error) {
	out, err := list(ctx, s.db.Read(), `WHERE r.customer_id = $1 ORDER BY r.created_at DESC, r.id DESC`, customerID)
	if err != nil {
		return nil, fmt.Errorf("reviews of customer %d: %w", customerID, err)
	}
	if out == nil {
		out = []Review{}
	}
	return out, nil
}
