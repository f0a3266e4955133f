// What every fake AWS API here shares: the SigV4 Authorization header as the SDK signs it, and the
// AWS JSON 1.1 answers (errors as {"__type", "message"} with x-amzn-errortype).

/**
 * The signer's access key, date and region when the request is SigV4-signed for `service`.
 * @param {import('node:http').IncomingMessage} req
 * @param {string} service the signing name: ecr, ecs, elasticloadbalancing…
 * @returns {{ accessKeyId: string, date: string, region: string, sessionToken: string | undefined } | undefined}
 */
export function sigv4(req, service) {
  const auth = String(req.headers.authorization ?? '');
  const m = new RegExp(
    `^AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/${service}/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$`,
  ).exec(auth);
  if (!m || !req.headers['x-amz-date']) return undefined;
  const token = req.headers['x-amz-security-token'];
  return { accessKeyId: m[1], date: m[2], region: m[3], sessionToken: Array.isArray(token) ? token[0] : token };
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} type
 * @param {string} message
 */
export function jsonError(res, status, type, message) {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-errortype': type,
    'x-amzn-requestid': 'fake',
  });
  res.end(JSON.stringify({ __type: type, message }));
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {unknown} payload
 */
export function jsonOk(res, payload) {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'fake' });
  res.end(JSON.stringify(payload));
}
