package coupang

import (
	"context"
	"log/slog"
	"time"
)

func (c *Client) logAttempt(ctx context.Context, req *apiRequest, attempt, status int, txID string, d time.Duration, err error) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", req.method),
		slog.String("path", req.path),
		slog.Int("status", status),
		slog.Int("attempt", attempt),
		slog.Duration("duration", d),
	}
	if txID != "" {
		attrs = append(attrs, slog.String("transactionId", txID))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "coupang request", attrs...)
}

func (c *Client) logRetry(ctx context.Context, req *apiRequest, attempt int, reason string, wait time.Duration) {
	if c.logger == nil {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelWarn, "coupang retry",
		slog.String("method", req.method),
		slog.String("path", req.path),
		slog.Int("attempt", attempt),
		slog.String("reason", reason),
		slog.Duration("wait", wait),
	)
}

func (c *Client) logPagingLoop(ctx context.Context, token string) {
	if c.logger == nil {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelWarn, "coupang: nextToken repeated or too long; ending the window with ErrPagingLoop",
		slog.Int("tokenLength", len(token)))
}
