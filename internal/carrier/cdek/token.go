package cdek

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/carrier"
)

// tokenAnswer is POST /oauth/token's answer.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
	JTI         string `json:"jti"`
	// An OAuth error answer instead.
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// bearer returns a token valid now, asking CDEK for one when the cached
// one is missing or about to expire.
func (c *Client) bearer(ctx context.Context) (string, error) {
	if tok := c.cached(); tok != "" {
		return tok, nil
	}
	select {
	case c.fetch <- struct{}{}:
	case <-ctx.Done():
		return "", fmt.Errorf("cdek: token: %w", ctx.Err())
	}
	defer func() { <-c.fetch }()
	if tok := c.cached(); tok != "" { // fetched while we waited
		return tok, nil
	}
	tok, lifetime, err := c.newToken(ctx)
	if err != nil {
		return "", err
	}
	// Keep it until shortly before it expires, so no request goes out
	// with a token that dies on the way.
	margin := time.Minute
	if lifetime < 2*margin {
		margin = lifetime / 2
	}
	c.mu.Lock()
	c.token, c.expires = tok, c.opts.Now().Add(lifetime-margin)
	c.mu.Unlock()
	return tok, nil
}

// cached is the cached token while it is good, else "".
func (c *Client) cached() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.opts.Now().Before(c.expires) {
		return c.token
	}
	return ""
}

// forget drops tok from the cache after CDEK refused it (unless another
// request already replaced it).
func (c *Client) forget(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == tok {
		c.token = ""
	}
}

// newToken asks CDEK for a token by the client-credentials grant.
func (c *Client) newToken(ctx context.Context) (string, time.Duration, error) {
	if c.opts.Key == "" || c.opts.Secret == "" {
		return "", 0, fmt.Errorf("cdek: token: no client_id or client_secret (Options.Key, Options.Secret): %w", carrier.ErrUnauthorized)
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.opts.Key},
		"client_secret": {c.opts.Secret},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, fmt.Errorf("cdek: token: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	status, header, body, err := c.send(req)
	if err != nil {
		return "", 0, fmt.Errorf("cdek: token: %w", err)
	}
	var ans tokenAnswer
	jsonErr := json.Unmarshal(body, &ans)
	switch {
	case status == http.StatusTooManyRequests:
		return "", 0, &carrier.RateLimitError{Carrier: name, RetryAfter: carrier.RetryAfter(header, c.opts.Now())}
	case status == http.StatusUnauthorized, status == http.StatusForbidden,
		status == http.StatusBadRequest && jsonErr == nil && ans.Error != "":
		// OAuth answers bad credentials with 401 invalid_client or
		// 400 invalid_client / unauthorized_client / invalid_grant.
		msg := strings.TrimSpace(ans.Error + " " + ans.ErrorDescription)
		if msg == "" {
			msg = answerError(status, body).Error()
		}
		return "", 0, fmt.Errorf("cdek: token: %w: %s", carrier.ErrUnauthorized, msg)
	case status != http.StatusOK:
		return "", 0, fmt.Errorf("cdek: token: %w", answerError(status, body))
	case jsonErr != nil:
		return "", 0, fmt.Errorf("cdek: token: malformed answer: %w", jsonErr)
	case ans.AccessToken == "":
		return "", 0, errors.New("cdek: token: answer without access_token")
	}
	return ans.AccessToken, time.Duration(max(ans.ExpiresIn, 0)) * time.Second, nil
}
