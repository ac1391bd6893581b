-- An order a Licenses Manager made from a license request ("Order these seats") records the request and its
-- requester, so that the requester is told how the order ends (README: Access).
ALTER TABLE orders ADD COLUMN license_request_id text;
ALTER TABLE orders ADD COLUMN license_requester_id text;
