-- Reassigning an escalated order (README: Approvals): an Access Admin of its billing profile sent a fresh approval
-- card to another approver ([{"to": {"id", "name"}, "by": {"id", "name"}, "at"}], oldest first). Written in the
-- same statement as the card it queues, only if the order still waits with the reassignments its reader saw.
ALTER TABLE orders ADD COLUMN reassignments jsonb NOT NULL DEFAULT '[]';
