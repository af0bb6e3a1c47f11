package store

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Payments of orders through the payment providers (Medusa 1.3.8's
// PaymentProviderService.capturePayment, refundPayment and cancelPayment, and the order
// service's capturePayment and createRefund).

// orderPayments loads an order's payments in storage order, locked for the transaction.
func orderPayments(ctx context.Context, tx bun.IDB, orderID string) ([]*model.Payment, error) {
	var ps []*model.Payment
	if err := tx.NewSelect().Model(&ps).Where("payment.order_id = ?", orderID).OrderExpr("payment.ctid").
		For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("read payments: %w", err)
	}
	return ps, nil
}

// cancelPayment cancels a payment with its provider and records canceled_at.
func (s *Store) cancelPayment(ctx context.Context, tx bun.IDB, p *model.Payment) error {
	pp, err := s.registry().Payment(p.ProviderID)
	if err != nil {
		return providerError(err)
	}
	data, err := pp.CancelPayment(ctx, p)
	if err != nil {
		return fmt.Errorf("cancel payment %s: %w", p.ID, err)
	}
	p.Data = nonNilData(data)
	if _, err := tx.NewUpdate().Model(p).Column("data").Set("canceled_at = now()").Set("updated_at = now()").
		WherePK().Returning("canceled_at, updated_at").Exec(ctx); err != nil {
		return fmt.Errorf("cancel payment %s: %w", p.ID, err)
	}
	return nil
}

func nonNilData(d map[string]any) map[string]any {
	if d == nil {
		return map[string]any{}
	}
	return d
}

// CapturePayment captures every payment of the order not captured yet (capturePayment). A
// provider's failure leaves that payment as it was and records order.payment_capture_failed;
// the order's payment_status is then requires_action, or captured once every payment is (an
// order without payments counts as captured, as in Medusa), which records
// order.payment_captured.
//
// The order and its payments are locked and read by the round trip that begins the transaction
// (lockOrderWith), and the writes are committed with their script (inLockedTx): two round
// trips.
func (s *Store) CapturePayment(ctx context.Context, id string) error {
	o := new(model.Order)
	var payments []*model.Payment
	pt := s.DB.Table(reflect.TypeFor[model.Payment]())
	lock, scan := s.lockOrderWith(id, o, lockedList{
		from:   "payment WHERE payment.order_id = o.id ORDER BY payment.ctid FOR UPDATE", // orderPayments' lock
		tables: []*schema.Table{pt},
		add:    func(m []reflect.Value) { payments = append(payments, m[0].Interface().(*model.Payment)) },
	})
	return s.inLockedTx(ctx, "capture payment", lock, scan, func(ctx context.Context, tx bun.IDB, found bool) (*script, error) {
		if !found {
			return nil, NotFoundf("Order with %s was not found", id)
		}
		if o.Status == "canceled" {
			return nil, Errorf(NotAllowed, "A canceled order cannot capture payment")
		}
		// The providers answer first; the payments, the order and the events are then written
		// by one script, in the order of the steps.
		var sc script
		all := true
		for _, p := range payments {
			if p.CapturedAt != nil {
				continue
			}
			if err := s.captureTo(ctx, tx, &sc, p); err != nil {
				if _, ok := AsError(err); ok && IsNotFound(err) {
					return nil, err // an unknown provider: Medusa fails before capturing
				}
				slog.WarnContext(ctx, "payment capture failed", "order", o.ID, "payment", p.ID, "err", err)
				q, err := emitAllQuery(tx, []event{{"order.payment_capture_failed", map[string]any{"id": o.ID, "payment_id": p.ID,
					"error": err.Error(), "no_notification": notify(o.NoNotification)}}})
				if err != nil {
					return nil, err
				}
				sc.add(q)
				all = false
			}
		}
		status := "requires_action"
		if all {
			status = "captured"
		}
		if status != o.PaymentStatus {
			o.PaymentStatus = status
			sc.add(tx.NewUpdate().Model(o).Column("payment_status").Set("updated_at = now()").WherePK())
		}
		if status == "captured" {
			q, err := emitAllQuery(tx, []event{{"order.payment_captured", map[string]any{"id": o.ID, "no_notification": notify(o.NoNotification)}}})
			if err != nil {
				return nil, err
			}
			sc.add(q)
		}
		return &sc, nil
	})
}

// capture captures one payment with its provider and records captured_at.
func (s *Store) capture(ctx context.Context, tx bun.IDB, p *model.Payment) error {
	if err := s.captureWithProvider(ctx, p); err != nil {
		return err
	}
	if _, err := tx.NewUpdate().Model(p).Column("data").Set("captured_at = now()").Set("updated_at = now()").
		WherePK().Returning("captured_at, updated_at").Exec(ctx); err != nil {
		return fmt.Errorf("capture payment %s: %w", p.ID, err)
	}
	return nil
}

// captureTo is capture with the payment's update added to sc (its captured_at and updated_at
// are not read back).
func (s *Store) captureTo(ctx context.Context, tx bun.IDB, sc *script, p *model.Payment) error {
	if err := s.captureWithProvider(ctx, p); err != nil {
		return err
	}
	sc.add(tx.NewUpdate().Model(p).Column("data").Set("captured_at = now()").Set("updated_at = now()").WherePK())
	return nil
}

// captureWithProvider asks p's provider to capture it and keeps the data it answers.
func (s *Store) captureWithProvider(ctx context.Context, p *model.Payment) error {
	pp, err := s.registry().Payment(p.ProviderID)
	if err != nil {
		return providerError(err)
	}
	data, err := pp.CapturePayment(ctx, p)
	if err != nil {
		return err
	}
	p.Data = nonNilData(data)
	return nil
}

// RefundInput is AdminPostOrdersOrderRefundsReq.
type RefundInput struct {
	Amount         int
	Reason         string
	Note           *string
	NoNotification *bool
}

// refundReasons are the values of Medusa's refund_reason_enum.
var refundReasons = map[string]bool{"discount": true, "return": true, "swap": true, "claim": true, "other": true}

// CreateRefund refunds an amount of an order's captured payments (createRefund): never on a
// canceled order, never above the refundable amount (paid_total − refunded_total), and never
// above what the captured payments still hold. Records order.refund_created.
func (s *Store) CreateRefund(ctx context.Context, id string, in RefundInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		o, err := lockOrder(ctx, tx, id)
		if err != nil {
			return err
		}
		if o.Status == "canceled" {
			return Errorf(NotAllowed, "A canceled order cannot be refunded")
		}
		payments, err := orderPayments(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		var refunded int
		if err := tx.NewSelect().TableExpr("refund").ColumnExpr("coalesce(sum(amount), 0)").Where("order_id = ?", o.ID).
			Scan(ctx, &refunded); err != nil {
			return fmt.Errorf("refund: %w", err)
		}
		paid := 0
		for _, p := range payments {
			paid += p.Amount
		}
		if in.Amount > paid-refunded {
			return Errorf(NotAllowed, "Cannot refund more than the original order amount")
		}
		if !refundReasons[in.Reason] {
			// Medusa stores the reason in an enum column and fails with a 500.
			return Invalidf("reason must be one of discount, return, swap, claim, other")
		}
		ref, err := s.refundPayments(ctx, tx, o.ID, payments, in.Amount, in.Reason, in.Note)
		if err != nil {
			return err
		}
		no := notify(o.NoNotification)
		if in.NoNotification != nil {
			no = *in.NoNotification
		}
		return emit(ctx, tx, "order.refund_created", map[string]any{"id": o.ID, "refund_id": ref.ID, "no_notification": no})
	})
}

// refundPayments is PaymentProviderService.refundPayment: the captured payments must hold the
// amount; it is taken from the payments in order, each refunded with its provider, and one
// refund row records it.
func (s *Store) refundPayments(ctx context.Context, tx bun.IDB, orderID string, payments []*model.Payment, amount int, reason string, note *string) (*model.Refund, error) {
	refundable := 0
	for _, p := range payments {
		if p.CapturedAt != nil {
			refundable += p.Amount - p.AmountRefunded
		}
	}
	if refundable < amount {
		return nil, Errorf(NotAllowed, "Refund amount is higher that the refundable amount")
	}
	// Medusa's loop: the first payment with something left is refunded even when the balance
	// is not positive; later ones only while a balance remains.
	balance := amount
	used := map[string]bool{}
	next := func() *model.Payment {
		for _, p := range payments {
			if p.Amount-p.AmountRefunded > 0 && !used[p.ID] {
				return p
			}
		}
		return nil
	}
	for p := next(); p != nil; {
		n := min(p.Amount-p.AmountRefunded, balance)
		pp, err := s.registry().Payment(p.ProviderID)
		if err != nil {
			return nil, providerError(err)
		}
		data, err := pp.RefundPayment(ctx, p, n)
		if err != nil {
			return nil, fmt.Errorf("refund payment %s: %w", p.ID, err)
		}
		p.Data = nonNilData(data)
		p.AmountRefunded += n
		if _, err := tx.NewUpdate().Model(p).Column("data", "amount_refunded").Set("updated_at = now()").
			WherePK().Returning("updated_at").Exec(ctx); err != nil {
			return nil, fmt.Errorf("refund payment %s: %w", p.ID, err)
		}
		balance -= n
		used[p.ID] = true
		p = nil
		if balance > 0 {
			p = next()
		}
	}
	ref := &model.Refund{ID: NewID("ref"), OrderID: orderID, Amount: amount, Reason: reason, Note: note}
	if _, err := tx.NewInsert().Model(ref).Returning("*").Exec(ctx); err != nil {
		return nil, fmt.Errorf("create refund: %w", err)
	}
	return ref, nil
}
