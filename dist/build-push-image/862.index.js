export const id = 862;
export const ids = [862];
export const modules = {

/***/ 5274:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {


/**
 * @license
 * Copyright 2020 Balena Ltd.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *    http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 *
 * ------------------------------------------------------------------------
 *
 * Copyright 2018 Zeit, Inc.
 * Licensed under the MIT License. See file LICENSE.md for a full copy.
 *
 * ------------------------------------------------------------------------
 */

/**
 * This module implements the [dockerignore
 * spec](https://docs.docker.com/engine/reference/builder/#dockerignore-file),
 * closely following Docker's (Moby) Golang implementation:
 * https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go
 * https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go
 * https://github.com/moby/moby/blob/v19.03.8/pkg/archive/archive.go#L825
 *
 * Something the spec is not clear about, but we discovered by reading source code
 * and testing against the "docker build" command, is the handling of backslashes and
 * forward slashes as path separators and escape characters in the .dockerignore file
 * across platforms including Windows, Linux and macOS:
 *
 * * On Linux and macOS, only forward slashes can be used as path separators in the
 *   .dockerignore file, and the backslash works as an escape character.
 * * On Windows, both forward slashes and backslashes are allowed as path separators
 *   in the .dockerignore file, and the backslash is not used as an escape character.
 *
 * This is consistent with how Windows works generally: both forward slashes and
 * backslashes are accepted as path separators by the cmd.exe Command Prompt or
 * PowerShell, and by library functions like the Golang filepath.Clean or the
 * Node.js path.normalize.
 *
 * Similarly, path strings provided to the IgnoreBase.ignores() and IgnoreBase.filter()
 * methods can use either forward slashes or backslashes as path separators on Windows,
 * but only forward slashes are accepted as path separators on Linux and macOS.
 */

const path = __webpack_require__(6928);

const factory = options => new IgnoreBase(options); // https://github.com/kaelzhang/node-ignore/blob/5.1.4/index.js#L538-L539
// Fixes typescript module import


factory.default = factory;
module.exports = factory;

function make_array(subject) {
  return Array.isArray(subject) ? subject : [subject];
}

const REGEX_TRAILING_SLASH = /(?<=.)\/$/;
const REGEX_TRAILING_BACKSLASH = /(?<=.)\\$/;
const REGEX_TRAILING_PATH_SEP = path.sep === '\\' ? REGEX_TRAILING_BACKSLASH : REGEX_TRAILING_SLASH;
const KEY_IGNORE = typeof Symbol !== 'undefined' ? Symbol.for('dockerignore') : 'dockerignore'; // An implementation of Go's filepath.Clean
// https://golang.org/pkg/path/filepath/#Clean
// https://github.com/golang/go/blob/master/src/path/filepath/path.go
// Note that, like Go, on Windows this function converts forward slashes
// to backslashes.

function cleanPath(file) {
  return path.normalize(file).replace(REGEX_TRAILING_PATH_SEP, '');
} // Javascript port of Golang's filepath.ToSlash
// https://golang.org/pkg/path/filepath/#ToSlash
// https://github.com/golang/go/blob/master/src/path/filepath/path.go
// Convert any OS-specific path separator to '/'. Backslash is converted
// to forward slash on Windows, but not on Linux/macOS.
// Note that both forward slashes and backslashes are valid path separators on
// Windows. As a result, code such as `pattern.split(path.sep).join('/')` fails
// on Windows when forward slashes are used as path separators.


function toSlash(file) {
  if (path.sep === '/') {
    return file;
  }

  return file.replace(/\\/g, '/');
} // Javascript port of Golang's filepath.FromSlash
// https://github.com/golang/go/blob/master/src/path/filepath/path.go


function fromSlash(file) {
  if (path.sep === '/') {
    return file;
  }

  return file.replace(/\//g, path.sep);
}

class IgnoreBase {
  constructor({
    // https://github.com/kaelzhang/node-ignore/blob/5.1.4/index.js#L372
    ignorecase = true
  } = {}) {
    this._rules = [];
    this._ignorecase = ignorecase;
    this[KEY_IGNORE] = true;

    this._initCache();
  }

  _initCache() {
    this._cache = {};
  } // @param {Array.<string>|string|Ignore} pattern


  add(pattern) {
    this._added = false;

    if (typeof pattern === 'string') {
      pattern = pattern.split(/\r?\n/g);
    }

    make_array(pattern).forEach(this._addPattern, this); // Some rules have just added to the ignore,
    // making the behavior changed.

    if (this._added) {
      this._initCache();
    }

    return this;
  } // legacy


  addPattern(pattern) {
    return this.add(pattern);
  }

  _addPattern(pattern) {
    // https://github.com/kaelzhang/node-ignore/issues/32
    if (pattern && pattern[KEY_IGNORE]) {
      this._rules = this._rules.concat(pattern._rules);
      this._added = true;
      return;
    }

    if (this._checkPattern(pattern)) {
      const rule = this._createRule(pattern.trim());

      if (rule !== null) {
        this._added = true;

        this._rules.push(rule);
      }
    }
  }

  _checkPattern(pattern) {
    // https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go#L34-L40
    return pattern && typeof pattern === 'string' && pattern.indexOf('#') !== 0 && pattern.trim() !== "";
  }

  filter(paths) {
    return make_array(paths).filter(path => this._filter(path));
  }

  createFilter() {
    return path => this._filter(path);
  }

  ignores(path) {
    return !this._filter(path);
  } // https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go#L41-L53
  // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L29-L55


  _createRule(pattern) {
    const origin = pattern;
    let negative = false; // > An optional prefix "!" which negates the pattern;
    // https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go#L43-L46

    if (pattern[0] === '!') {
      negative = true;
      pattern = pattern.substring(1).trim();
    } // https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go#L47-L53


    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      pattern = toSlash(pattern);

      if (pattern.length > 1 && pattern[0] === '/') {
        pattern = pattern.slice(1);
      }
    } // https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go#L54-L55


    if (negative) {
      pattern = '!' + pattern;
    } // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L30


    pattern = pattern.trim();

    if (pattern === "") {
      return null;
    } // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L34
    // convert forward slashes to backslashes on Windows


    pattern = cleanPath(pattern); // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L36-L42

    if (pattern[0] === '!') {
      if (pattern.length === 1) {
        return null;
      }

      negative = true;
      pattern = pattern.substring(1);
    } else {
      negative = false;
    }

    return {
      origin,
      pattern,
      // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L54
      dirs: pattern.split(path.sep),
      negative
    };
  } // @returns `Boolean` true if the `path` is NOT ignored


  _filter(path) {
    if (!path) {
      return false;
    }

    if (path in this._cache) {
      return this._cache[path];
    }

    return this._cache[path] = this._test(path);
  } // @returns {Boolean} true if a file is NOT ignored
  // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L62


  _test(file) {
    file = fromSlash(file); // equivalent to golang filepath.Dir() https://golang.org/src/path/filepath/path.go

    const parentPath = cleanPath(path.dirname(file));
    const parentPathDirs = parentPath.split(path.sep);
    let matched = false;

    this._rules.forEach(rule => {
      let match = this._match(file, rule); // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L80


      if (!match && parentPath !== ".") {
        // Check to see if the pattern matches one of our parent dirs.
        if (rule.dirs.includes('**')) {
          // Ah shucks! We have to test every possible parent path that has 
          // a number of dirs _n_ where 
          // `rule.dirs.filter(doubleStar).length <= _n_ <= parentPathDirs.length`
          // since the ** can imply any number of directories including 0
          for (let i = rule.dirs.filter(x => x !== '**').length; i <= parentPathDirs.length; i++) {
            match = match || this._match(parentPathDirs.slice(0, i).join(path.sep), rule);
          }
        } else if (rule.dirs.length <= parentPathDirs.length) {
          // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L83
          match = this._match(parentPathDirs.slice(0, rule.dirs.length).join(path.sep), rule);
        }
      }

      if (match) {
        matched = !rule.negative;
      }
    });

    return !matched;
  } // @returns {Boolean} true if a file is matched by a rule


  _match(file, rule) {
    return this._compile(rule).regexp.test(file);
  } // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L139


  _compile(rule) {
    if (rule.regexp) {
      return rule;
    }

    let regStr = '^'; // Go through the pattern and convert it to a regexp.

    let escapedSlash = path.sep === '\\' ? '\\\\' : path.sep;

    for (let i = 0; i < rule.pattern.length; i++) {
      const ch = rule.pattern[i];

      if (ch === '*') {
        if (rule.pattern[i + 1] === '*') {
          // is some flavor of "**"
          i++; // Treat **/ as ** so eat the "/"

          if (rule.pattern[i + 1] === path.sep) {
            i++;
          }

          if (rule.pattern[i + 1] === undefined) {
            // is "**EOF" - to align with .gitignore just accept all
            regStr += ".*";
          } else {
            // is "**"
            // Note that this allows for any # of /'s (even 0) because
            // the .* will eat everything, even /'s
            regStr += `(.*${escapedSlash})?`;
          }
        } else {
          // is "*" so map it to anything but "/"
          regStr += `[^${escapedSlash}]*`;
        }
      } else if (ch === '?') {
        // "?" is any char except "/"
        regStr += `[^${escapedSlash}]`;
      } else if (ch === '.' || ch === '$') {
        // Escape some regexp special chars that have no meaning
        // in golang's filepath.Match
        regStr += `\\${ch}`;
      } else if (ch === '\\') {
        // escape next char. Note that a trailing \ in the pattern
        // will be left alone (but need to escape it)
        if (path.sep === '\\') {
          // On windows map "\" to "\\", meaning an escaped backslash,
          // and then just continue because filepath.Match on
          // Windows doesn't allow escaping at all
          regStr += escapedSlash;
          continue;
        }

        if (rule.pattern[i + 1] !== undefined) {
          regStr += '\\' + rule.pattern[i + 1];
          i++;
        } else {
          regStr += '\\';
        }
      } else {
        regStr += ch;
      }
    }

    regStr += "$";
    rule.regexp = new RegExp(regStr, this._ignorecase ? 'i' : '');
    return rule;
  }

}


/***/ }),

/***/ 4862:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  logout: () => (/* binding */ logout),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/core/src/index.ts + 4 modules
var src = __webpack_require__(9417);
// EXTERNAL MODULE: ./packages/registry/src/metadata/index.ts + 21 modules
var metadata = __webpack_require__(9631);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./packages/registry/src/oci/client.ts


/** Every manifest type a re-tag must carry over byte for byte. */
const MANIFEST_TYPES = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.docker.distribution.manifest.v2+json',
];
function sha256Digest(body) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(body).digest('hex')}`;
}
/** Parses `Bearer realm="...",service="...",scope="..."` (and Basic) challenges. */
function parseChallenge(header) {
    if (!header)
        return undefined;
    const m = /^\s*(\w+)\s*(.*)$/.exec(header);
    if (!m)
        return undefined;
    const scheme = m[1].toLowerCase();
    if (scheme !== 'basic' && scheme !== 'bearer')
        return undefined;
    const params = {};
    for (const p of m[2].matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g))
        params[p[1].toLowerCase()] = p[2] ?? p[3] ?? '';
    return { scheme, params };
}
/**
 * A client for the OCI distribution API: manifests and blobs, with the registry's auth challenge
 * answered (Basic, or the Bearer token flow against the realm it names) and transient failures
 * (429, 5xx, resets) retried with backoff inside a deadline. A refused credential fails at once.
 */
class RegistryClient {
    options;
    base;
    /** Authorization header per repository scope, once a challenge has been answered. */
    authorization = new Map();
    constructor(options) {
        this.options = options;
        this.base = `${options.plainHttp ? 'http' : 'https'}://${options.host}`;
        if (options.credentials)
            options.secrets.addBasicAuth(options.credentials.username, options.credentials.password);
    }
    get host() {
        return this.options.host;
    }
    /** The manifest under a tag or digest, or undefined when the registry has none. */
    async findManifest(repository, reference) {
        const res = await this.send(repository, ['pull'], { method: 'GET', path: `manifests/${reference}`, headers: { accept: MANIFEST_TYPES.join(', ') } }, `get manifest ${repository}:${reference}`, [404]);
        if (res.status === 404)
            return undefined;
        const mediaType = (res.headers['content-type'] ?? '').split(';')[0].trim();
        const digest = sha256Digest(res.body);
        if (reference.startsWith('sha256:') && digest !== reference) {
            throw new src/* PermanentError */.Dr(`manifest ${repository}@${reference}: the registry returned content with digest ${digest}`);
        }
        return {
            digest,
            mediaType: mediaType || JSON.parse(res.text()).mediaType || MANIFEST_TYPES[1],
            body: res.body,
        };
    }
    async getManifest(repository, reference) {
        const manifest = await this.findManifest(repository, reference);
        if (!manifest)
            throw new src/* PermanentError */.Dr(`manifest ${repository}:${reference} not found in ${this.options.host}`);
        return manifest;
    }
    /** Stores a manifest under a tag; the bytes are sent as they are, so the digest does not change. */
    async putManifest(repository, tag, manifest) {
        const res = await this.send(repository, ['pull', 'push'], {
            method: 'PUT',
            path: `manifests/${tag}`,
            headers: { 'content-type': manifest.mediaType },
            body: manifest.body,
        }, `put manifest ${repository}:${tag}`);
        const expected = sha256Digest(manifest.body);
        const reported = res.headers['docker-content-digest'];
        if (reported && reported !== expected)
            throw new src/* PermanentError */.Dr(`put manifest ${repository}:${tag}: registry reports digest ${reported}, expected ${expected}`);
        return expected;
    }
    /** Removes a tag where the registry supports it (distribution 3, most clouds); false when it does not. */
    async deleteTag(repository, tag) {
        const res = await this.send(repository, ['delete'], { method: 'DELETE', path: `manifests/${tag}` }, `delete tag ${repository}:${tag}`, [400, 404, 405]);
        return res.status === 202 || res.status === 200;
    }
    async getBlob(repository, digest) {
        const res = await this.send(repository, ['pull'], { method: 'GET', path: `blobs/${digest}`, maxRedirects: 3 }, `get blob ${repository}@${digest}`);
        if (sha256Digest(res.body) !== digest)
            throw new src/* PermanentError */.Dr(`blob ${repository}@${digest}: content does not match its digest`);
        return res.body;
    }
    /** All tags of a repository (paged through the Link header, at most 100 pages). */
    async listTags(repository) {
        const tags = [];
        let path = 'tags/list?n=1000';
        for (let page = 0; path && page < 100; page++) {
            const res = await this.send(repository, ['pull'], { method: 'GET', path }, `list tags of ${repository}`, [404]);
            if (res.status === 404)
                return [];
            tags.push(...(res.json().tags ?? []));
            const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(res.headers.link ?? '')?.[1];
            path = next ? next.replace(/^.*\/v2\/.+?\/tags\//, 'tags/') : undefined;
        }
        return tags;
    }
    async send(repository, actions, req, what, okStatuses = []) {
        const url = `${this.base}/v2/${repository}/${req.path}`;
        const scope = `repository:${repository}:${actions.join(',')}`;
        return (0,src/* retry */.L5)(async () => {
            let res = await this.raw({
                url,
                method: req.method,
                headers: this.withAuth(scope, req.headers),
                body: req.body,
                maxRedirects: req.maxRedirects,
            });
            if (res.status === 401) {
                await this.answerChallenge(res, scope, what);
                res = await this.raw({
                    url,
                    method: req.method,
                    headers: this.withAuth(scope, req.headers),
                    body: req.body,
                    maxRedirects: req.maxRedirects,
                });
                if (res.status === 401)
                    throw new src/* PermanentError */.Dr(`${what}: ${this.options.host} refused the credentials (HTTP 401); check the username and password or token and its scopes`);
            }
            if (res.status === 403)
                throw new src/* PermanentError */.Dr(`${what}: ${this.options.host} denied access (HTTP 403); the credentials lack ${actions.join('/')} permission on ${repository}`);
            if ((res.status >= 200 && res.status < 300) || okStatuses.includes(res.status))
                return res;
            throw (0,src/* statusError */.$C)(res, what);
        }, {
            timeoutMs: this.options.timeoutMs ?? 120_000,
            initialDelayMs: this.options.initialDelayMs ?? 500,
            maxDelayMs: 10_000,
            isRetryable: src/* isTransient */.dg,
            delayHint: (e) => (e instanceof src/* HttpError */.j$ ? e.retryAfterMs : undefined),
            onRetry: ({ attempt, error, delayMs }) => this.options.log.info(`${what}: ${(0,src/* oneLine */.TN)(error)}; retry ${attempt} in ${Math.round(delayMs)}ms`),
            signal: this.options.signal,
            clock: this.options.clock,
            what,
        });
    }
    raw(req) {
        return (0,src/* request */.Em)({
            ...req,
            timeoutMs: this.options.requestTimeoutMs ?? 60_000,
            ca: this.options.ca,
            signal: this.options.signal,
        });
    }
    withAuth(scope, headers = {}) {
        const auth = this.authorization.get(scope) ?? this.authorization.get('*');
        return auth ? { ...headers, authorization: auth } : headers;
    }
    /**
     * Credentials go only to a token service the user can be taken to trust: https (or the registry's
     * own plain-http host when the registry itself is plain http) on the registry's host, Docker Hub's
     * auth.docker.io, or a host the user allowed. Anything else is a registry sending them elsewhere.
     */
    checkTokenRealm(realm, what) {
        const registryHost = new URL(this.base).hostname;
        const sameHost = realm.hostname === registryHost;
        const allowedHost = sameHost ||
            (this.options.tokenHosts ?? []).includes(realm.hostname) ||
            (registryHost === 'registry-1.docker.io' && realm.hostname === 'auth.docker.io');
        const allowedScheme = realm.protocol === 'https:' || (sameHost && this.options.plainHttp && realm.protocol === 'http:');
        if (allowedHost && allowedScheme)
            return;
        throw new src/* PermanentError */.Dr(`${what}: ${this.options.host} sends clients to the token service ${realm.protocol}//${realm.host}, ` +
            `${allowedScheme ? 'another host' : 'over plain http'}; the registry credentials were not sent there. ` +
            (allowedScheme
                ? `If that service belongs to the registry, allow its host with \`registry-token-hosts\``
                : 'A token service must use https'));
    }
    async answerChallenge(res, scope, what) {
        const challenge = parseChallenge(res.headers['www-authenticate']);
        const creds = this.options.credentials;
        if (!challenge)
            throw new src/* PermanentError */.Dr(`${what}: HTTP 401 without an auth challenge from ${this.options.host}`);
        if (challenge.scheme === 'basic') {
            if (!creds)
                throw new src/* PermanentError */.Dr(`${what}: ${this.options.host} needs credentials; set them for this registry`);
            this.authorization.set('*', `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`);
            return;
        }
        const realm = challenge.params.realm;
        if (!realm)
            throw new src/* PermanentError */.Dr(`${what}: Bearer challenge from ${this.options.host} names no realm`);
        let tokenUrl;
        try {
            tokenUrl = new URL(realm);
        }
        catch {
            throw new src/* PermanentError */.Dr(`${what}: Bearer challenge from ${this.options.host} names a realm that is not a URL`);
        }
        if (creds)
            this.checkTokenRealm(tokenUrl, what);
        if (challenge.params.service)
            tokenUrl.searchParams.set('service', challenge.params.service);
        tokenUrl.searchParams.set('scope', scope);
        const headers = creds
            ? { authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` }
            : {};
        const tokenRes = await this.raw({ url: tokenUrl.toString(), method: 'GET', headers });
        if (tokenRes.status === 401 || tokenRes.status === 403) {
            throw new src/* PermanentError */.Dr(`${what}: the token service of ${this.options.host} refused the credentials (HTTP ${tokenRes.status})`);
        }
        if (tokenRes.status !== 200)
            throw (0,src/* statusError */.$C)(tokenRes, `${what}: token from ${tokenUrl.origin}${tokenUrl.pathname}`);
        const body = tokenRes.json();
        const token = body.token ?? body.access_token;
        if (!token)
            throw new src/* PermanentError */.Dr(`${what}: the token service of ${this.options.host} returned no token`);
        this.options.secrets.add(token);
        this.authorization.set(scope, `Bearer ${token}`);
    }
}

;// CONCATENATED MODULE: ./packages/registry/src/oci/retag.ts

/**
 * Points every tag at the manifest with this digest, through the registry API: the manifest bytes
 * are read once and put under each tag, so the digest cannot change. Before anything moves, each
 * tag's current manifest is read; if a put fails for good, the tags already moved are put back
 * (or deleted, where they are new and the registry allows it), so a failure never leaves half of
 * the tags on the new image. Tags that are new are moved last, since they are the hardest to undo.
 */
async function retagByDigest(client, repository, digest, tags, log) {
    const source = await client.getManifest(repository, digest);
    const previous = new Map();
    for (const tag of tags)
        previous.set(tag, await client.findManifest(repository, tag));
    const unchanged = tags.filter((t) => previous.get(t)?.digest === digest);
    const toMove = [
        ...tags.filter((t) => previous.get(t) && !unchanged.includes(t)),
        ...tags.filter((t) => !previous.get(t)),
    ];
    const moved = [];
    for (const tag of toMove) {
        try {
            await client.putManifest(repository, tag, source);
            moved.push(tag);
            const before = previous.get(tag);
            log.info(`${client.host}/${repository}:${tag} -> ${digest}${before ? ` (was ${before.digest})` : ' (new tag)'}`);
        }
        catch (error) {
            const undo = await rollBack(client, repository, moved, previous, log);
            throw new src/* PermanentError */.Dr(`tagging ${client.host}/${repository} with ${tag} failed: ${(0,src/* oneLine */.TN)(error)}. ${undo}`, {
                cause: error,
            });
        }
    }
    return { tagged: [...tags], unchanged };
}
async function rollBack(client, repository, moved, previous, log) {
    if (!moved.length)
        return 'No tag was changed.';
    const restored = [];
    const left = [];
    for (const tag of [...moved].reverse()) {
        const before = previous.get(tag);
        try {
            if (before) {
                await client.putManifest(repository, tag, before);
                restored.push(`${tag} (back to ${before.digest})`);
            }
            else if (await client.deleteTag(repository, tag)) {
                restored.push(`${tag} (removed)`);
            }
            else {
                left.push(tag);
            }
        }
        catch (error) {
            log.warning(`could not restore ${repository}:${tag}: ${(0,src/* oneLine */.TN)(error)}`);
            left.push(tag);
        }
    }
    return `Rolled back ${restored.length ? restored.join(', ') : 'nothing'}${left.length ? `; still on the new image (the registry cannot remove tags): ${left.join(', ')}` : ''}.`;
}

// EXTERNAL MODULE: ./packages/registry/src/reference.ts
var reference = __webpack_require__(341);
;// CONCATENATED MODULE: ./packages/registry/src/auth/authfile.ts



/**
 * A per-job credential store in the docker config.json format that docker, buildx, buildah,
 * skopeo and podman all read: DOCKER_CONFIG points docker at its folder and REGISTRY_AUTH_FILE
 * points the containers tools at the file. Credentials reach the builders only through this file,
 * never through a command line; the post step removes the folder.
 */
class AuthFile {
    dir;
    path;
    auths = new Map();
    constructor(dir) {
        this.dir = dir;
        this.path = (0,external_node_path_.join)(dir, 'config.json');
    }
    /** A fresh folder (mode 0700) under parent, e.g. the runner's temp folder. */
    static create(parent) {
        (0,external_node_fs_.mkdirSync)(parent, { recursive: true });
        const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(parent, 'registry-auth-'));
        (0,external_node_fs_.chmodSync)(dir, 0o700);
        const file = new AuthFile(dir);
        file.write();
        return file;
    }
    set(registry, credentials) {
        this.auths.set(registry, credentials);
        this.write();
    }
    get(registry) {
        return this.auths.get(registry);
    }
    registries() {
        return [...this.auths.keys()];
    }
    /** What a builder's environment needs to find the credentials. */
    env() {
        return { DOCKER_CONFIG: this.dir, REGISTRY_AUTH_FILE: this.path };
    }
    write() {
        const auths = {};
        for (const [registry, { username, password }] of this.auths) {
            const entry = { auth: Buffer.from(`${username}:${password}`).toString('base64') };
            auths[registry] = entry;
            // docker keys Docker Hub by its v1 index URL; the containers tools use docker.io.
            if (registry === reference/* DOCKER_HUB */.Xb)
                auths['https://index.docker.io/v1/'] = entry;
        }
        (0,external_node_fs_.writeFileSync)(this.path, `${JSON.stringify({ auths }, null, 2)}\n`, { mode: 0o600 });
    }
}
/** The post step's logout: removes the folder and everything in it; true when there was one. */
function removeAuthDir(dir) {
    if (!dir || !(0,external_node_fs_.existsSync)(dir))
        return false;
    (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
    return true;
}

;// CONCATENATED MODULE: ./packages/registry/src/auth/ecr.ts

/** Registry host -> credentials, one GetAuthorizationToken call per region for all its accounts. */
async function ecrLogin(registries, api, secrets, log) {
    const byRegion = new Map();
    for (const r of registries)
        byRegion.set(r.region, [...new Set([...(byRegion.get(r.region) ?? []), r.accountId])]);
    const out = new Map();
    for (const [region, accounts] of byRegion) {
        const data = await (await api(region)).getAuthorizationToken(accounts);
        if (!data.length)
            throw new src/* PermanentError */.Dr(`ECR returned no authorization data for ${accounts.join(', ')} in ${region}`);
        for (const item of data) {
            // Mask before anything else touches it: the token, and the password inside it.
            secrets.add(item.authorizationToken);
            const decoded = Buffer.from(item.authorizationToken, 'base64').toString('utf8');
            const colon = decoded.indexOf(':');
            if (colon < 0)
                throw new src/* PermanentError */.Dr(`ECR authorization token for ${item.proxyEndpoint} is not user:password`);
            const credentials = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
            secrets.addBasicAuth(credentials.username, credentials.password);
            const host = new URL(item.proxyEndpoint).host;
            out.set(host, credentials);
            log.info(`logged in to ECR ${host}${item.expiresAt ? ` (token valid until ${item.expiresAt.toISOString()})` : ''}`);
        }
    }
    return out;
}
/** Creates the repositories that do not exist yet; says which it created. */
async function ensureEcrRepositories(repos, api, settings, log) {
    const created = [];
    for (const { registry, name } of repos) {
        const client = await api(registry.region);
        if (await client.repositoryExists(registry.accountId, name))
            continue;
        await client.createRepository(registry.accountId, name, settings);
        created.push(name);
        log.info(`created ECR repository ${name} in ${registry.accountId}/${registry.region} (tags ${settings.immutableTags ? 'immutable' : 'mutable'}, scan on push ${settings.scanOnPush ? 'on' : 'off'})`);
    }
    return created;
}

;// CONCATENATED MODULE: ./packages/registry/src/builders/types.ts
const BUILDERS = (/* unused pure expression or super */ null && (['buildx', 'buildah']));
function keyValueArgs(flag, values) {
    return Object.entries(values).flatMap(([k, v]) => [flag, `${k}=${v}`]);
}

;// CONCATENATED MODULE: ./packages/registry/src/builders/buildx.ts




/** Lines buildx prints when a cache export failed but ignore-error kept the build going. */
const CACHE_EXPORT_ERROR = /(error|failed).*(export(ing)? cache|cache export)|(export(ing)? cache|cache export).*(error|failed)/i;
/** docker buildx build: the builder of GitHub's hosted runners; pushes itself and writes a metadata file. */
class BuildxBuilder {
    docker;
    name = 'buildx';
    constructor(docker = 'docker') {
        this.docker = docker;
    }
    async version(io) {
        const result = await (0,src/* exec */.m0)(this.docker, ['buildx', 'version'], { signal: io.signal, timeoutMs: 30_000 });
        if (result.exitCode !== 0)
            throw new src/* PermanentError */.Dr(`docker buildx is not available: ${(result.stderr || result.stdout).trim().split('\n').pop()}; install Docker with the buildx plugin or set builder: buildah`);
        return result.stdout.trim();
    }
    /** The argument array and the environment for one build (secrets travel as env=NAME, values in env). */
    command(spec) {
        const metadataFile = (0,external_node_path_.join)(spec.workDir, 'buildx-metadata.json');
        const env = { ...spec.env };
        // buildx has no ignore-file flag; it reads <Dockerfile>.dockerignore beside the Dockerfile first,
        // so the build gets a copy of the Dockerfile with the rules next to it.
        const dockerfile = (0,external_node_path_.join)(spec.workDir, 'Dockerfile');
        (0,external_node_fs_.copyFileSync)(spec.file, dockerfile);
        (0,external_node_fs_.writeFileSync)(`${dockerfile}.dockerignore`, `${spec.ignoreRules.join('\n')}\n`);
        const args = ['buildx', 'build', '--file', dockerfile, '--metadata-file', metadataFile, '--provenance=false'];
        if (spec.target)
            args.push('--target', spec.target);
        if (spec.platforms.length)
            args.push('--platform', spec.platforms.join(','));
        args.push(...keyValueArgs('--build-arg', spec.buildArgs));
        args.push(...keyValueArgs('--label', spec.labels));
        // Annotations go on the index (and each manifest) as metadata-action's docs recommend for buildx.
        for (const [k, v] of Object.entries(spec.annotations))
            args.push('--annotation', `index,manifest:${k}=${v}`);
        spec.secrets.forEach((secret, i) => {
            const variable = `BUILD_SECRET_${i}`;
            env[variable] = secret.value;
            args.push('--secret', `id=${secret.id},env=${variable}`);
        });
        if (spec.cache.kind === 'registry') {
            args.push('--cache-from', `type=registry,ref=${spec.cache.ref}`, '--cache-to', `type=registry,ref=${spec.cache.ref},mode=max,ignore-error=true`);
        }
        else if (spec.cache.kind === 'gha') {
            args.push('--cache-from', `type=gha,scope=${spec.cache.scope}`, '--cache-to', `type=gha,scope=${spec.cache.scope},mode=max,ignore-error=true`);
        }
        for (const destination of spec.destinations)
            args.push('--tag', destination);
        if (spec.destinations.length)
            args.push('--push');
        args.push(spec.context);
        return { args, env, metadataFile };
    }
    async build(spec, io) {
        const { args, env, metadataFile } = this.command(spec);
        const warnings = [];
        io.log.info(`docker ${args.join(' ')}`);
        const result = await (0,src/* exec */.m0)(this.docker, args, {
            env,
            signal: io.signal,
            timeoutMs: io.timeoutMs,
            cwd: spec.context,
            onLine: (line) => {
                io.log.info(line);
                if (CACHE_EXPORT_ERROR.test(line))
                    warnings.push(`cache export failed (the image was still built): ${line.trim()}`);
            },
        });
        if (result.exitCode !== 0)
            throw new src/* PermanentError */.Dr(`docker buildx build exited with ${result.exitCode ?? result.signal}: ${tail(result)}`);
        if (!spec.destinations.length)
            return { warnings };
        const metadata = JSON.parse((0,external_node_fs_.readFileSync)(metadataFile, 'utf8'));
        const digest = metadata['containerimage.digest'];
        if (!digest)
            throw new src/* PermanentError */.Dr('docker buildx build pushed but wrote no containerimage.digest to its metadata file');
        return { digest, warnings };
    }
}
function tail(result) {
    return (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join(' | ');
}

;// CONCATENATED MODULE: ./packages/registry/src/builders/buildah.ts




const CACHE_ERROR = /cache/i;
/**
 * buildah: builds without a daemon (what the tests here run, and on GitHub's Ubuntu runners too).
 * Builds into local storage under a job-local name, then pushes that to each destination and keeps
 * the digest buildah wrote. Several platforms become a manifest list pushed with --all.
 */
class BuildahBuilder {
    options;
    name = 'buildah';
    bin;
    constructor(options = {}) {
        this.options = options;
        this.bin = options.buildah ?? 'buildah';
    }
    async version(io) {
        const result = await (0,src/* exec */.m0)(this.bin, ['--version'], { signal: io.signal, timeoutMs: 30_000 });
        if (result.exitCode !== 0)
            throw new src/* PermanentError */.Dr(`buildah is not available: ${result.stderr.trim()}`);
        return result.stdout.trim();
    }
    policy() {
        return this.options.signaturePolicy ? ['--signature-policy', this.options.signaturePolicy] : [];
    }
    /** The build's argument array; secret values are written to files under workDir, never to argv. */
    buildCommand(spec, localName, withCacheTo = true) {
        const args = [
            'build',
            ...this.policy(),
            '--file',
            spec.file,
            '--isolation',
            this.options.isolation ?? 'chroot',
            '--layers',
        ];
        if (spec.target)
            args.push('--target', spec.target);
        if (spec.platforms.length > 1)
            args.push('--platform', spec.platforms.join(','), '--manifest', localName);
        else {
            if (spec.platforms.length === 1)
                args.push('--platform', spec.platforms[0]);
            args.push('--tag', localName);
        }
        args.push(...keyValueArgs('--build-arg', spec.buildArgs));
        args.push(...keyValueArgs('--label', spec.labels));
        args.push(...keyValueArgs('--annotation', spec.annotations));
        spec.secrets.forEach((secret, i) => {
            const file = (0,external_node_path_.join)(spec.workDir, `secret-${i}`);
            (0,external_node_fs_.writeFileSync)(file, secret.value, { mode: 0o600 });
            args.push('--secret', `id=${secret.id},src=${file}`);
        });
        if (spec.cache.kind === 'registry') {
            args.push('--cache-from', spec.cache.ref);
            if (withCacheTo)
                args.push('--cache-to', spec.cache.ref);
        }
        if (spec.certDir)
            args.push('--cert-dir', spec.certDir);
        const ignoreFile = (0,external_node_path_.join)(spec.workDir, 'dockerignore');
        (0,external_node_fs_.writeFileSync)(ignoreFile, `${spec.ignoreRules.join('\n')}\n`);
        args.push('--ignorefile', ignoreFile, spec.context);
        return args;
    }
    pushCommand(spec, localName, destination, digestFile) {
        const list = spec.platforms.length > 1;
        const args = list ? ['manifest', 'push', '--all'] : ['push', ...this.policy()];
        args.push('--digestfile', digestFile, '--retry', String(this.options.pushRetries ?? 3));
        if (spec.certDir)
            args.push('--cert-dir', spec.certDir);
        args.push(localName, `docker://${destination}`);
        return args;
    }
    async build(spec, io) {
        const warnings = [];
        const localName = `localhost/deploy-actions-build:${spec.contentKey.slice(0, 16)}`;
        const env = { ...spec.env, BUILDAH_ISOLATION: this.options.isolation ?? 'chroot' };
        let result = await this.run(this.buildCommand(spec, localName), env, io, spec.context);
        if (result.exitCode !== 0 &&
            spec.cache.kind === 'registry' &&
            CACHE_ERROR.test(result.stderr.split('\n').slice(-5).join('\n'))) {
            // A cache that cannot be written must not cost the build: the layers are local, so the
            // second run is quick.
            warnings.push(`cache export to ${spec.cache.ref} failed, built without it: ${lastLine(result)}`);
            io.log.warning(warnings[warnings.length - 1]);
            result = await this.run(this.buildCommand(spec, localName, false), env, io, spec.context);
        }
        if (result.exitCode !== 0)
            throw new src/* PermanentError */.Dr(`buildah build exited with ${result.exitCode ?? result.signal}: ${buildah_tail(result)}`);
        let digest;
        for (const [i, destination] of spec.destinations.entries()) {
            const digestFile = (0,external_node_path_.join)(spec.workDir, `digest-${i}`);
            const pushed = await this.run(this.pushCommand(spec, localName, destination, digestFile), env, io, spec.context);
            if (pushed.exitCode !== 0)
                throw new src/* PermanentError */.Dr(`buildah push to ${destination} failed: ${buildah_tail(pushed)}`);
            const written = (0,external_node_fs_.readFileSync)(digestFile, 'utf8').trim();
            if (digest && written !== digest)
                io.log.warning(`${destination} got digest ${written}, the first destination ${digest}`);
            digest ??= written;
        }
        return { digest, warnings };
    }
    run(args, env, io, cwd) {
        logCommand(io.log, this.bin, args);
        return (0,src/* exec */.m0)(this.bin, args, {
            env,
            signal: io.signal,
            timeoutMs: io.timeoutMs,
            cwd,
            onLine: (line) => io.log.info(line),
        });
    }
}
function logCommand(log, bin, args) {
    log.info(`${bin} ${args.join(' ')}`);
}
function lastLine(result) {
    return (result.stderr.trim() || result.stdout.trim()).split('\n').pop() ?? '';
}
function buildah_tail(result) {
    return (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join(' | ');
}

// EXTERNAL MODULE: ./node_modules/.pnpm/@balena+dockerignore@1.0.2/node_modules/@balena/dockerignore/ignore.js
var ignore = __webpack_require__(5274);
var ignore_default = /*#__PURE__*/__webpack_require__.n(ignore);
;// CONCATENATED MODULE: ./packages/registry/src/contentkey.ts




/** The label (and annotation) that records which build inputs an image came from. */
const CONTENT_KEY_LABEL = 'dev.deploy-actions.content-key';
/** Labels that change with every run without changing the image; left out of the key. */
const VOLATILE_LABELS = [
    'org.opencontainers.image.created',
    'org.opencontainers.image.revision',
    'org.opencontainers.image.version',
];
const KEY_SCHEME = 'deploy-actions content key v1';
const MAX_FILES = 200_000;
/**
 * A sha256 over everything that decides the image: the context files docker would send (after
 * .dockerignore), the Dockerfile, build args, target, platforms, the stable labels and the builder.
 * Two runs with the same key build the same image, so the second can reuse the first's digest.
 */
function contentKey(inputs) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const line = (...parts) => {
        hash.update(`${parts.join('\u0000')}\n`);
    };
    line(KEY_SCHEME, inputs.builder);
    line('dockerfile', (0,external_node_fs_.readFileSync)(inputs.file, 'utf8'));
    line('target', inputs.target ?? '');
    line('platforms', ...[...inputs.platforms].sort());
    for (const [k, v] of Object.entries(inputs.buildArgs).sort(([a], [b]) => a.localeCompare(b)))
        line('arg', k, v);
    for (const [k, v] of Object.entries(inputs.labels)
        .filter(([k]) => !VOLATILE_LABELS.includes(k) && k !== CONTENT_KEY_LABEL)
        .sort(([a], [b]) => a.localeCompare(b)))
        line('label', k, v);
    for (const id of [...inputs.secretIds].sort())
        line('secret', id);
    for (const file of contextFiles(inputs.context, inputs.file)) {
        const path = (0,external_node_path_.join)(inputs.context, file);
        const stat = (0,external_node_fs_.lstatSync)(path);
        if (stat.isSymbolicLink())
            line('link', file, (0,external_node_fs_.readlinkSync)(path));
        else
            line('file', file, stat.mode & 0o111 ? 'x' : '-', (0,external_node_crypto_.createHash)('sha256').update((0,external_node_fs_.readFileSync)(path)).digest('hex'));
    }
    return hash.digest('hex');
}
/**
 * Left out of every build context unless a .dockerignore line brings them back (`!.git`): what a
 * job's earlier steps leave in the workspace that differs on every run of the same commit and may
 * hold a credential. The checkout's repository (fetch times, the index, a persisted token in
 * .git/config) and google-github-actions/auth's credentials file, which its README asks to ignore.
 * Keyed, they would defeat reuse; sent, `COPY . .` would bake them into the image.
 */
const DEFAULT_IGNORES = ['.git', 'gha-creds-*.json'];
/** The .dockerignore rules a build applies: ours first, then <Dockerfile>.dockerignore or .dockerignore, whose lines win. */
function ignoreRules(context, dockerfile) {
    const ignoreFile = [dockerfile && `${dockerfile}.dockerignore`, (0,external_node_path_.join)(context, '.dockerignore')].find((f) => f && (0,external_node_fs_.existsSync)(f));
    return [...DEFAULT_IGNORES, ...(ignoreFile ? (0,external_node_fs_.readFileSync)(ignoreFile, 'utf8').split(/\r?\n/) : [])];
}
/** Files of the build context the builder is sent, relative, sorted (see ignoreRules). */
function contextFiles(context, dockerfile) {
    const ig = ignore_default()({ ignorecase: false });
    ig.add(ignoreRules(context, dockerfile));
    const out = [];
    const walk = (dir) => {
        for (const entry of (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
            const rel = (0,external_node_path_.relative)(context, (0,external_node_path_.join)(dir, entry.name));
            if (ig.ignores(rel)) {
                // An ignored folder may still hold re-included files (!pattern), so look inside it anyway.
                if (!entry.isDirectory())
                    continue;
            }
            if (entry.isDirectory())
                walk((0,external_node_path_.join)(dir, entry.name));
            else if (!ig.ignores(rel))
                out.push(rel);
            if (out.length > MAX_FILES)
                throw new Error(`the build context ${context} has more than ${MAX_FILES} files; add a .dockerignore`);
        }
    };
    walk(context);
    return out;
}

// EXTERNAL MODULE: ./node_modules/.pnpm/semver@7.8.6/node_modules/semver/index.js
var semver = __webpack_require__(2320);
;// CONCATENATED MODULE: ./packages/registry/src/builders/gha-cache.ts

/**
 * buildah's layer store kept in the GitHub Actions cache through @actions/cache (imported only
 * here, only when asked for). Every problem is a warning: a cache is an optimisation, and a
 * failed save must never fail a build that was pushed.
 */
async function withLayerCache(paths, key, restorePrefix, log, build) {
    const warnings = [];
    const warn = (message) => {
        warnings.push(message);
        log.warning(message);
    };
    const cache = await Promise.all(/* import() */[__webpack_require__.e(636), __webpack_require__.e(780)]).then(__webpack_require__.bind(__webpack_require__, 5780));
    if (!cache.isFeatureAvailable()) {
        warn('cache type=gha: the GitHub Actions cache service is not available to this job; built without a layer cache');
        return { result: await build(), warnings };
    }
    try {
        const hit = await cache.restoreCache(paths, key, [restorePrefix]);
        log.info(hit ? `layer cache restored from ${hit}` : 'no layer cache yet for this build');
    }
    catch (error) {
        warn(`cache type=gha: restore failed, building without it: ${(0,src/* oneLine */.TN)(error)}`);
    }
    const result = await build();
    try {
        await cache.saveCache(paths, key);
    }
    catch (error) {
        warn(`cache type=gha: saving the layer cache failed (the image is unaffected): ${(0,src/* oneLine */.TN)(error)}`);
    }
    return { result, warnings };
}

;// CONCATENATED MODULE: ./packages/registry/src/oci/inspect.ts
const platformName = (p) => [p.os ?? 'unknown', p.architecture ?? 'unknown', p.variant].filter(Boolean).join('/');
/** Reads an image back from the registry: what it really is, so outputs never repeat what was asked for. */
async function inspectImage(client, repository, digest) {
    const top = await client.getManifest(repository, digest);
    const json = JSON.parse(top.body.toString('utf8'));
    const platformDigests = {};
    let labels;
    let sizeBytes = 0;
    const single = async (manifest) => {
        const config = JSON.parse((await client.getBlob(repository, manifest.config.digest)).toString('utf8'));
        sizeBytes += manifest.config.size + (manifest.layers ?? []).reduce((sum, l) => sum + l.size, 0);
        labels ??= config.config?.Labels ?? {};
        return config;
    };
    if (json.manifests) {
        for (const child of json.manifests) {
            // Attestation manifests (buildx provenance) ride along in the index; they are not a platform.
            if (child.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest')
                continue;
            const manifest = JSON.parse((await client.getManifest(repository, child.digest)).body.toString('utf8'));
            await single(manifest);
            platformDigests[platformName(child.platform ?? {})] = child.digest;
        }
    }
    else {
        const config = await single(json);
        platformDigests[platformName(config)] = digest;
    }
    return { digest, mediaType: top.mediaType, platformDigests, labels: labels ?? {}, sizeBytes };
}

;// CONCATENATED MODULE: ./packages/registry/src/build-push.ts











/** The tag under which each build is stored by its content key, so later runs can find it. */
function contentTagFor(key) {
    return `content-${key.slice(0, 32)}`;
}
/**
 * Build once, tag right, push anywhere: log in, look for an image built from the same inputs,
 * build and push it only when there is none, then point every tag at the digest through the
 * registry API and read the image back for the outputs.
 */
async function buildPushImage(config, deps) {
    const clock = deps.clock ?? src/* systemClock */.ml;
    const started = clock.now();
    const { log } = deps;
    const warnings = [];
    const notes = [];
    const emptyBecause = {};
    const key = contentKey({
        context: config.context,
        file: config.file,
        target: config.target,
        platforms: config.platforms,
        buildArgs: config.buildArgs,
        labels: config.labels,
        secretIds: config.secrets.map((s) => s.id),
        builder: deps.builder.name,
    });
    const contentTag = contentTagFor(key);
    log.info(`content key ${key}`);
    await deps.builder.version({ log, signal: deps.signal });
    const clients = new Map();
    if (config.push) {
        await logIn(config, deps);
        for (const image of config.images) {
            if (clients.has(image.registry))
                continue;
            clients.set(image.registry, new RegistryClient({
                host: image.apiHost,
                credentials: deps.authFile.get(image.registry),
                ca: config.ca,
                tokenHosts: config.tokenHosts,
                secrets: deps.secrets,
                log,
                timeoutMs: config.retryTimeoutMs,
                clock: deps.clock,
                signal: deps.signal,
            }));
        }
    }
    const clientFor = (image) => clients.get(image.registry);
    // Reuse: an image already stored under this content key, whose label proves the same key.
    const digests = {};
    if (config.push && config.reuse) {
        for (const image of config.images) {
            const found = await clientFor(image).findManifest(image.repository, contentTag);
            if (!found)
                continue;
            const details = await inspectImage(clientFor(image), image.repository, found.digest);
            if (details.labels[CONTENT_KEY_LABEL] !== key) {
                notes.push(`${image.name}:${contentTag} exists but carries content key ${details.labels[CONTENT_KEY_LABEL] ?? '(none)'}; building anew`);
                continue;
            }
            digests[image.name] = found.digest;
            log.info(`${image.name} already has an image for this content key: ${found.digest}`);
        }
    }
    const missing = config.images.filter((i) => !digests[i.name]);
    const built = !config.push || missing.length > 0;
    const labels = { ...config.labels, [CONTENT_KEY_LABEL]: key };
    if (built) {
        const destinations = config.push ? missing.map((i) => `${i.name}:${contentTag}`) : [];
        const outcome = await runBuild(config, deps, { key, labels, destinations });
        warnings.push(...outcome.warnings);
        if (config.push) {
            if (!outcome.digest)
                throw new src/* PermanentError */.Dr(`${deps.builder.name} pushed but reported no digest`);
            for (const image of missing)
                digests[image.name] = outcome.digest;
        }
    }
    else {
        notes.push(`reused the image built earlier from the same inputs (content key ${key.slice(0, 12)}); no build`);
    }
    if (!config.push) {
        const why = 'push is false: the image was built but not pushed, so it has no registry digest';
        for (const output of ['digest', 'image', 'platform-digests'])
            emptyBecause[output] = why;
        if (!config.tags.length)
            emptyBecause.tags = 'no tag rule produced a tag for this event';
        return {
            tags: config.images.flatMap((i) => config.tags.map((t) => `${i.name}:${t}`)),
            labels,
            platformDigests: {},
            digests,
            built,
            contentKey: key,
            contentTag,
            durationMs: clock.now() - started,
            emptyBecause,
            warnings,
            notes,
        };
    }
    let tags = [...config.tags];
    if (tags.includes('latest') && config.releaseVersion) {
        const first = config.images[0];
        const higher = await higherRelease(clientFor(first), first.repository, config.releaseVersion);
        if (higher) {
            tags = tags.filter((t) => t !== 'latest');
            notes.push(`latest not moved: ${first.name} already has ${higher}, higher than ${config.releaseVersion}`);
            log.info(notes[notes.length - 1]);
        }
    }
    if (!tags.length)
        emptyBecause.tags = config.tags.length
            ? 'every tag was held back (see the log)'
            : 'no tag rule produced a tag for this event; the image is stored only under its content tag';
    for (const image of config.images) {
        await retagByDigest(clientFor(image), image.repository, digests[image.name], tags, log);
    }
    const first = config.images[0];
    const digest = digests[first.name];
    const details = await inspectImage(clientFor(first), first.repository, digest);
    return {
        digest,
        image: `${first.name}@${digest}`,
        tags: config.images.flatMap((i) => tags.map((t) => `${i.name}:${t}`)),
        labels: details.labels,
        platformDigests: details.platformDigests,
        digests,
        built,
        contentKey: key,
        contentTag,
        sizeBytes: details.sizeBytes,
        durationMs: clock.now() - started,
        emptyBecause,
        warnings,
        notes,
    };
}
async function logIn(config, deps) {
    for (const [registry, credentials] of Object.entries(config.credentials))
        deps.authFile.set(registry, credentials);
    const ecr = [...config.ecrRegistries];
    for (const image of config.images) {
        const found = (0,reference/* ecrRegistry */.gO)(image.registry);
        if (found && !ecr.some((r) => r.accountId === found.accountId && r.region === found.region))
            ecr.push(found);
    }
    if (ecr.length) {
        if (!deps.ecr)
            throw new src/* PermanentError */.Dr('ECR registries need the AWS SDK, which this caller did not provide');
        const logins = await ecrLogin(ecr, deps.ecr, deps.secrets, deps.log);
        for (const [host, credentials] of logins)
            deps.authFile.set(host, credentials);
        if (config.createRepositories) {
            const repos = config.images.flatMap((image) => {
                const registry = (0,reference/* ecrRegistry */.gO)(image.registry) ?? (logins.has(image.registry) ? ecr[0] : undefined);
                return registry ? [{ registry, name: image.repository }] : [];
            });
            await ensureEcrRepositories(repos, deps.ecr, config.createRepositories, deps.log);
        }
    }
    const without = config.images.filter((i) => !deps.authFile.get(i.registry));
    if (without.length) {
        throw new src/* PermanentError */.Dr(`no credentials for ${[...new Set(without.map((i) => i.registry))].join(', ')}: set username and password for it, or list it in ecr-registries`);
    }
}
async function runBuild(config, deps, plan) {
    const workDir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(deps.tempDir, 'build-'));
    // It holds the build secrets' files: the post step removes it if this step dies before the finally.
    src/* leftovers */.To.addPath(workDir);
    try {
        let certDir;
        if (config.ca) {
            certDir = (0,external_node_path_.join)(workDir, 'certs');
            (0,external_node_fs_.mkdirSync)(certDir);
            (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(certDir, 'ca.crt'), config.ca);
        }
        const first = config.images[0];
        const cache = config.cache === 'registry' && first
            ? {
                kind: 'registry',
                ref: config.cacheRef ?? (deps.builder.name === 'buildx' ? `${first.name}:buildcache` : `${first.name}-cache`),
            }
            : config.cache === 'gha'
                ? { kind: 'gha', scope: first?.name ?? 'build' }
                : { kind: 'none' };
        const spec = {
            context: config.context,
            file: config.file,
            target: config.target,
            platforms: config.platforms,
            buildArgs: config.buildArgs,
            secrets: config.secrets,
            labels: plan.labels,
            annotations: { ...config.annotations, [CONTENT_KEY_LABEL]: plan.key },
            destinations: plan.destinations,
            cache,
            env: deps.authFile.env(),
            workDir,
            certDir,
            contentKey: plan.key,
            ignoreRules: ignoreRules(config.context, config.file),
        };
        const io = { log: deps.log, signal: deps.signal, timeoutMs: config.buildTimeoutMs };
        if (cache.kind === 'gha' && deps.builder.name === 'buildah') {
            const store = deps.layerStore ?? '/var/lib/containers/storage';
            const prefix = `buildah-layers-${config.platforms.join('+') || 'default'}-`;
            const { result, warnings } = await withLayerCache([store], `${prefix}${plan.key}`, prefix, deps.log, () => deps.builder.build({ ...spec, cache: { kind: 'none' } }, io));
            return { digest: result.digest, warnings: [...warnings, ...result.warnings] };
        }
        return await deps.builder.build(spec, io);
    }
    finally {
        (0,external_node_fs_.rmSync)(workDir, { recursive: true, force: true });
        src/* leftovers */.To.removePath(workDir);
    }
}
/** The highest release tag in the repository above `version`, if any (prereleases do not count). */
async function higherRelease(client, repository, version) {
    let tags;
    try {
        tags = await client.listTags(repository);
    }
    catch (error) {
        throw new src/* PermanentError */.Dr(`cannot list tags of ${repository} to check that latest only moves forward: ${(0,src/* oneLine */.TN)(error)}`, { cause: error });
    }
    const current = semver.parse(version, { loose: true });
    if (!current)
        return undefined;
    let highest;
    let highestTag;
    for (const tag of tags) {
        const v = semver.parse(tag, { loose: true });
        if (!v || v.prerelease.length || semver.lte(v, current))
            continue;
        if (!highest || semver.gt(v, highest)) {
            highest = v;
            highestTag = tag;
        }
    }
    return highestTag;
}

;// CONCATENATED MODULE: ./packages/registry/src/index.ts













// EXTERNAL MODULE: ./packages/registry/src/metadata/context.ts
var context = __webpack_require__(6191);
;// CONCATENATED MODULE: ./packages/registry/src/metadata/github.ts




/**
 * The facts docker/metadata-action takes from the GitHub API (repository record, commit date),
 * asked only when the event payload lacks them, each at most once per job: answers are cached in
 * the job's temp folder for later steps. Without a token, the fallback is the run's own variables
 * (no description, license or default branch) and the time of the run, each with a warning.
 */
async function resolveFacts(run, options) {
    const sources = [];
    const warnings = [];
    const api = new FactsApi(run.repository, options.api);
    const noToken = 'no github-token was given (the default is the job token, ${{ github.token }})';
    let repo;
    const fromPayload = (0,context/* repoInfoFromPayload */.fR)(run);
    if (fromPayload) {
        repo = fromPayload;
        sources.push('repository: event payload');
    }
    else if (options.api.token) {
        repo = await api.repository();
        sources.push('repository: GitHub API');
    }
    else {
        repo = (0,context/* repoInfoFromRun */.U8)(run);
        sources.push('repository: run variables');
        const lost = ['the description and licenses labels are empty'];
        if (options.needsDefaultBranch)
            lost.push('type=edge without branch= gives no tag (the default branch is unknown)');
        warnings.push(`the event payload has no repository record and ${noToken}: ${lost.join('; ')}`);
    }
    const { sha } = (0,context/* refAndSha */.fQ)(run, options.prHeadSha);
    let commitDate;
    if (options.needsCommitDate && sha && !(0,context/* commitDateFromPayload */.km)(run, sha)) {
        if (!COMMIT.test(sha)) {
            warnings.push(`'${sha}' is not a commit id, so its date cannot be asked for; {{commit_date}} gives the time of this run`);
        }
        else if (options.api.token) {
            // As in metadata-action, a commit the API cannot give is not fatal: {{commit_date}} falls back to now.
            try {
                commitDate = await api.commitDate(sha);
                sources.push('commit date: GitHub API');
            }
            catch (error) {
                if (options.api.signal?.aborted)
                    throw error;
                warnings.push(`the commit date of ${sha} could not be read: ${(0,src/* oneLine */.TN)(error)}; {{commit_date}} gives the time of this run`);
            }
        }
        else {
            warnings.push(`the event payload does not list commit ${sha} and ${noToken}: {{commit_date}} gives the time of this run`);
        }
    }
    return {
        git: (0,context/* gitContextFromRun */.hz)(run, { prHeadSha: options.prHeadSha, now: options.now, commitDate }),
        repo,
        sources,
        warnings,
    };
}
const CACHE_FILE = 'deploy-actions-github-facts.json';
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
/** The two GET calls, retried like every API call, with a job-wide cache. */
class FactsApi {
    fullName;
    o;
    constructor(fullName, o) {
        this.fullName = fullName;
        this.o = o;
    }
    async repository() {
        const data = (await this.cached(`repos/${this.fullName}`));
        return {
            name: data.name ?? '',
            description: data.description ?? '',
            htmlUrl: data.html_url ?? '',
            license: data.license?.spdx_id ?? '',
            defaultBranch: data.default_branch ?? '',
        };
    }
    /** The committer date, as metadata-action takes it (commit.committer.date). */
    async commitDate(sha) {
        const data = (await this.cached(`repos/${this.fullName}/commits/${sha}`));
        const date = data.commit?.committer?.date;
        if (!date)
            throw new src/* PermanentError */.Dr(`GitHub API: commit ${sha} has no committer date`);
        return new Date(date);
    }
    async cached(path) {
        // The repository goes into the API path: checked against GitHub's grammar, so nothing else is asked for.
        if (!REPOSITORY.test(this.fullName))
            throw new src/* PermanentError */.Dr(`GITHUB_REPOSITORY '${this.fullName}' is not owner/name; the runner sets it, so run the step in a workflow`);
        const file = (0,external_node_path_.join)(this.o.cacheDir, CACHE_FILE);
        const key = `${this.o.apiUrl.replace(/\/$/, '')}/${path}`;
        const cache = readCache(file);
        if (key in cache) {
            this.o.log.info(`GitHub API: ${path} from this job's earlier answer`);
            return cache[key];
        }
        const data = await this.get(path);
        // Only the fields used are kept: a repository record is large and says more than a temp file needs to.
        cache[key] = path.includes('/commits/') ? { commit: data.commit } : pick(data);
        const temp = `${file}.${process.pid}`;
        (0,external_node_fs_.writeFileSync)(temp, JSON.stringify(cache), { mode: 0o600 });
        (0,external_node_fs_.renameSync)(temp, file);
        return data;
    }
    get(path) {
        const url = `${this.o.apiUrl.replace(/\/$/, '')}/${path}`;
        const what = `GitHub API GET /${path}`;
        return (0,src/* retry */.L5)(async () => {
            const response = await (0,src/* request */.Em)({
                url,
                headers: {
                    accept: 'application/vnd.github+json',
                    authorization: `Bearer ${this.o.token}`,
                    'user-agent': 'deploy-actions',
                    'x-github-api-version': '2022-11-28',
                },
                timeoutMs: Math.min(30_000, Math.max(1000, this.o.timeoutMs)),
                signal: this.o.signal,
            });
            if (response.status === 200)
                return response.json();
            throw apiError(response.status, response.headers, response.text(), what);
        }, {
            timeoutMs: this.o.timeoutMs,
            signal: this.o.signal,
            clock: this.o.clock,
            what,
            isRetryable: src/* isTransient */.dg,
            delayHint: (error) => (error instanceof src/* HttpError */.j$ ? error.retryAfterMs : undefined),
            onRetry: ({ attempt, error, delayMs }) => this.o.log.info(`${error.message}; retry ${attempt} in ${Math.round(delayMs)}ms`),
        });
    }
}
function pick(data) {
    const r = data;
    return {
        name: r.name,
        description: r.description,
        html_url: r.html_url,
        default_branch: r.default_branch,
        license: r.license ? { spdx_id: r.license.spdx_id } : null,
    };
}
function readCache(file) {
    if (!(0,external_node_fs_.existsSync)(file))
        return {};
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
    }
    catch {
        return {};
    }
}
/** GitHub's answers: 5xx and 429 pass; a 403 is throttling when it says so (secondary limit, Retry-After). */
function apiError(status, headers, body, what) {
    const message = (() => {
        try {
            return String(JSON.parse(body).message ?? '');
        }
        catch {
            return body.slice(0, 200);
        }
    })();
    const retryAfterMs = (0,src/* parseRetryAfter */.mu)(headers['retry-after']);
    if (status === 403 && (retryAfterMs !== undefined || /secondary rate limit/i.test(message)))
        return new src/* HttpError */.j$('transient', `${what}: HTTP 403 ${message}`, { status, retryAfterMs: retryAfterMs ?? 60_000 });
    if (status === 401)
        return new src/* PermanentError */.Dr(`${what}: HTTP 401 ${message}; check github-token (it must be a valid token)`);
    if (status === 403 || status === 404)
        return new src/* PermanentError */.Dr(`${what}: HTTP ${status} ${message}; the token needs read access to the repository (permissions: contents: read)`);
    return new src/* HttpError */.j$(src/* RETRYABLE_STATUSES */.U3.has(status) ? 'transient' : 'permanent', `${what}: HTTP ${status} ${message}`, {
        status,
        retryAfterMs,
    });
}

;// CONCATENATED MODULE: ./actions/build-push-image/src/run.ts






const AUTH_DIR_STATE = 'authDir';
/** Deadline for one GitHub API call, retries included. */
const API_TIMEOUT_MS = 60_000;
async function run(ctx, config) {
    const meta = await run_metadata(ctx, config.metadata);
    if (!config.build) {
        const why = 'build is false: only the metadata was computed';
        for (const name of ['digest', 'image', 'platform-digests', 'built', 'content-key', 'pushed-tags']) {
            ctx.outputs.set(name, '');
            ctx.log.info(`output ${name} is empty: ${why}`);
        }
        ctx.summary.append(metadataSummary(meta));
        return;
    }
    const result = await build(ctx, config.build, meta);
    setBuildOutputs(ctx, result);
    ctx.summary.append(summary(config.build, result));
}
/**
 * The tags and labels with the facts the payload lacked (from the GitHub API), then every output
 * docker/metadata-action sets, in its order, also exported as DOCKER_METADATA_OUTPUT_* variables.
 */
async function run_metadata(ctx, config) {
    const { log } = ctx;
    const facts = await resolveFacts(ctx.run, {
        prHeadSha: config.prHeadSha,
        now: config.now,
        needsCommitDate: config.needsCommitDate,
        needsDefaultBranch: config.needsDefaultBranch,
        api: {
            apiUrl: ctx.run.apiUrl,
            token: config.githubToken,
            cacheDir: ctx.run.runnerTemp,
            log,
            timeoutMs: API_TIMEOUT_MS,
            signal: ctx.signal,
        },
    });
    for (const warning of facts.warnings)
        log.warning(warning);
    log.info(`facts: ${facts.sources.join(', ')}; commit date ${facts.git.commitDate.toISOString()}`);
    const meta = (0,metadata/* computeMetadata */.FT)(config.input, facts.git, facts.repo, config.now);
    for (const note of meta.notes)
        log.info(note);
    for (const warning of meta.warnings)
        log.warning(warning);
    // metadata-action's two warnings, word for word, for logs and alerts that look for them.
    if (!meta.version.main)
        log.warning('No Docker image version has been generated. Check tags input.');
    if (!meta.tags.length)
        log.warning('No Docker tag has been generated. Check tags input.');
    const outputs = (0,metadata/* metadataOutputs */._V)(meta, config.format);
    // Like metadata-action, the bake definitions are files in the runner's temp folder; the outputs are their paths.
    const bakeDir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(ctx.run.runnerTemp, 'docker-metadata-action-'));
    const bakePaths = Object.fromEntries(Object.entries(outputs.bakeFiles).map(([name, content]) => {
        const path = (0,external_node_path_.join)(bakeDir, metadata/* BAKE_FILE_NAMES */.OY[name]);
        (0,external_node_fs_.writeFileSync)(path, content);
        return [name, path];
    }));
    const values = {
        ...outputs.values,
        'bake-file-tags': bakePaths['bake-file-tags'],
        'bake-file-labels': bakePaths['bake-file-labels'],
        'bake-file-annotations': bakePaths['bake-file-annotations'],
        'bake-file': bakePaths['bake-file'],
    };
    for (const [name, value] of Object.entries(values)) {
        ctx.outputs.set(name, value);
        if (config.exportOutputs)
            ctx.variables.export((0,metadata/* outputVariable */.Qh)(name), value);
    }
    log.info(`version: ${values.version || '(none)'}`);
    log.info(`tags: ${meta.tags.join(', ') || '(none)'}`);
    return meta;
}
async function build(ctx, config, meta) {
    const authFile = AuthFile.create(ctx.run.runnerTemp);
    // Saved first, so the post step removes the file even if everything below fails.
    ctx.state.save(AUTH_DIR_STATE, authFile.dir);
    const builder = config.builder === 'buildah' ? new BuildahBuilder() : new BuildxBuilder();
    const result = await buildPushImage({
        images: config.images,
        tags: meta.tagNames,
        labels: (0,metadata/* keyValueRecord */.K4)(meta.labels),
        annotations: (0,metadata/* keyValueRecord */.K4)(meta.annotations),
        context: config.context,
        file: config.file,
        target: config.target,
        platforms: config.platforms,
        buildArgs: config.buildArgs,
        secrets: config.secrets,
        push: config.push,
        reuse: config.reuse,
        cache: config.cache,
        cacheRef: config.cacheRef,
        credentials: config.credentials,
        ecrRegistries: config.ecrRegistries,
        createRepositories: config.createRepositories,
        releaseVersion: config.releaseVersion,
        ca: config.ca,
        retryTimeoutMs: config.retryTimeoutMs,
        buildTimeoutMs: config.buildTimeoutMs,
    }, {
        builder,
        authFile,
        secrets: ctx.secrets,
        log: ctx.log,
        signal: ctx.signal,
        tempDir: ctx.run.runnerTemp,
        // The AWS SDK is loaded only when an ECR registry is in play.
        ecr: async (region) => (await __webpack_require__.e(/* import() */ 376).then(__webpack_require__.bind(__webpack_require__, 8376))).sdkEcrApi(region),
    });
    for (const note of result.notes)
        ctx.log.info(note);
    return result;
}
function setBuildOutputs(ctx, result) {
    const outputs = {
        digest: result.digest ?? '',
        image: result.image ?? '',
        'pushed-tags': result.digest ? result.tags.join('\n') : '',
        'platform-digests': result.digest ? JSON.stringify(result.platformDigests) : '',
        built: String(result.built),
        'content-key': result.contentKey,
    };
    const emptyBecause = {
        ...result.emptyBecause,
        'pushed-tags': result.emptyBecause.tags ?? result.emptyBecause.digest ?? 'nothing was pushed',
    };
    for (const [name, value] of Object.entries(outputs)) {
        ctx.outputs.set(name, value);
        if (!value)
            ctx.log.info(`output ${name} is empty: ${emptyBecause[name] ?? 'nothing to report'}`);
    }
}
function metadataSummary(meta) {
    return [
        `### build-push-image: metadata only (version ${meta.version.main ? `\`${meta.version.main}\`` : 'none'})\n`,
        src/* markdown.table */.wD.table(['Tag'], meta.tags.map((t) => [`\`${t}\``])),
        src/* markdown.table */.wD.table(['Label', 'Value'], meta.labels.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])),
    ].join('\n');
}
function summary(config, result) {
    const size = result.sizeBytes === undefined ? '' : `${(result.sizeBytes / 1024 / 1024).toFixed(1)} MiB`;
    const rows = config.images.map((image) => [
        image.name,
        result.digests[image.name] ? `\`${result.digests[image.name]}\`` : (result.emptyBecause.digest ?? ''),
        result.tags
            .filter((t) => t.startsWith(`${image.name}:`))
            .map((t) => `\`${t.slice(image.name.length + 1)}\``)
            .join(' ') || '(none)',
        size,
        result.built ? 'built' : 'reused',
        (0,src/* formatDuration */.a3)(result.durationMs),
    ]);
    const parts = [
        `### build-push-image: ${result.built ? 'built' : 'reused'} ${result.image ?? config.images[0].name}\n`,
        src/* markdown.table */.wD.table(['Image', 'Digest', 'Tags', 'Size', 'Built or reused', 'Time'], rows),
    ];
    if (Object.keys(result.platformDigests).length > 1) {
        parts.push(src/* markdown.table */.wD.table(['Platform', 'Digest'], Object.entries(result.platformDigests).map(([p, d]) => [p, `\`${d}\``])));
    }
    const notes = [...result.notes, ...result.warnings.map((w) => `⚠️ ${w}`)];
    if (notes.length)
        parts.push(notes.map((n) => `- ${n}`).join('\n') + '\n');
    return parts.join('\n');
}
/** The post step: the per-job credentials go with the job. */
function logout(ctx) {
    const dir = ctx.state.get(AUTH_DIR_STATE);
    if (removeAuthDir(dir))
        ctx.log.info("logged out: removed the job's registry credentials");
    else
        ctx.log.info('no registry credentials to remove');
}


/***/ }),

/***/ 9417:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  j$: () => (/* reexport */ HttpError),
  Dr: () => (/* reexport */ errors/* PermanentError */.Dr),
  U3: () => (/* reexport */ RETRYABLE_STATUSES),
  m0: () => (/* reexport */ exec),
  a3: () => (/* reexport */ src_clock/* formatDuration */.a3),
  dg: () => (/* reexport */ errors/* isTransient */.dg),
  To: () => (/* reexport */ leftovers/* leftovers */.To),
  wD: () => (/* reexport */ markdown),
  TN: () => (/* reexport */ errors/* oneLine */.TN),
  mu: () => (/* reexport */ parseRetryAfter),
  Em: () => (/* reexport */ request),
  L5: () => (/* reexport */ retry),
  $C: () => (/* reexport */ statusError),
  ml: () => (/* reexport */ src_clock/* systemClock */.ml)
});

// UNUSED EXPORTS: ActionError, DeadlineError, InputError, Leftovers, MemoryLogger, SecretRegistry, TransientError, abortReason, backoffDelay, endLeftovers, errorKind, execChecked, isCredentialHeader, parseDuration, parseLeftovers, processStartTime, redactUrl, silentLogger, splitCommand

// EXTERNAL MODULE: ./packages/core/src/errors.ts
var errors = __webpack_require__(637);
// EXTERNAL MODULE: ./packages/core/src/clock.ts
var src_clock = __webpack_require__(8538);
;// CONCATENATED MODULE: ./packages/core/src/retry.ts


/** Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS), bounded by a deadline. */
function backoffDelay(attempt, opts) {
    const initial = opts.initialDelayMs ?? 250;
    const cap = opts.maxDelayMs ?? 10_000;
    const ceiling = Math.min(cap, initial * Math.pow(opts.factor ?? 2, attempt - 1));
    const random = opts.random ?? Math.random;
    // Half fixed, half jittered: never a zero wait, still spreads out a thundering herd.
    return ceiling / 2 + random() * (ceiling / 2);
}
/**
 * Runs fn until it succeeds, a non-retryable error is thrown, or the deadline passes.
 * The last error is kept as the cause of the DeadlineError so the log says why.
 */
async function retry(fn, opts) {
    const clock = opts.clock ?? src_clock/* systemClock */.ml;
    const isRetryable = opts.isRetryable ?? errors/* isTransient */.dg;
    const started = clock.now();
    for (let attempt = 1;; attempt++) {
        if (opts.signal?.aborted)
            throw (0,src_clock/* abortReason */.Js)(opts.signal);
        try {
            return await fn(attempt);
        }
        catch (error) {
            if (opts.signal?.aborted)
                throw (0,src_clock/* abortReason */.Js)(opts.signal);
            if (!isRetryable(error))
                throw error;
            const elapsed = clock.now() - started;
            const hinted = opts.delayHint?.(error);
            const delayMs = Math.max(backoffDelay(attempt, opts), hinted ?? 0);
            const outOfAttempts = opts.maxAttempts !== undefined && attempt >= opts.maxAttempts;
            if (outOfAttempts || elapsed + delayMs > opts.timeoutMs) {
                const what = opts.what ?? 'operation';
                throw new errors/* DeadlineError */.j3(`${what} still failing after ${attempt} attempt(s) in ${Math.round(elapsed)}ms: ${(0,errors/* oneLine */.TN)(error)}`, { cause: error });
            }
            opts.onRetry?.({ attempt, error, delayMs });
            await clock.sleep(delayMs, opts.signal);
        }
    }
}

// EXTERNAL MODULE: ./packages/core/src/secrets.ts
var secrets = __webpack_require__(8517);
;// CONCATENATED MODULE: ./packages/core/src/logger.ts
/** A logger that remembers what it was told; for tests and for plain Node scripts. */
class MemoryLogger {
    echo;
    records = [];
    constructor(echo = false) {
        this.echo = echo;
    }
    push(record) {
        this.records.push(record);
        if (this.echo)
            process.stderr.write(`[${record.level}] ${record.message}\n`);
    }
    debug(message) {
        this.push({ level: 'debug', message });
    }
    info(message) {
        this.push({ level: 'info', message });
    }
    warning(message, annotation) {
        this.push({ level: 'warning', message, annotation });
    }
    error(message, annotation) {
        this.push({ level: 'error', message, annotation });
    }
    async group(title, fn) {
        this.info(title);
        return fn();
    }
    messages(level) {
        return this.records.filter((r) => !level || r.level === level).map((r) => r.message);
    }
}
const silentLogger = {
    debug() { },
    info() { },
    warning() { },
    error() { },
    group: (_title, fn) => fn(),
};

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./packages/core/src/leftovers.ts
var leftovers = __webpack_require__(6012);
;// CONCATENATED MODULE: ./packages/core/src/exec.ts




/**
 * Runs a program with an argument array: never through a shell, so no input can be spliced into a
 * command line. The child gets its own process group so a timeout or cancel kills its children too,
 * and is tracked in `leftovers` while it runs, so a post step can end the group if the main step dies.
 */
function exec(command, args, opts = {}) {
    const started = Date.now();
    const maxBuffer = opts.maxBuffer ?? 4 * 1024 * 1024;
    return new Promise((resolve, reject) => {
        if (opts.signal?.aborted)
            return reject((0,src_clock/* abortReason */.Js)(opts.signal));
        const env = { ...process.env };
        for (const [k, v] of Object.entries(opts.env ?? {})) {
            if (v === undefined)
                delete env[k];
            else
                env[k] = v;
        }
        const child = (0,external_node_child_process_.spawn)(command, [...args], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        leftovers/* leftovers */.To.addChild(child.pid);
        const out = { stdout: '', stderr: '' };
        const partial = { stdout: '', stderr: '' };
        let timedOut = false;
        const kill = () => {
            if (child.pid === undefined || child.exitCode !== null)
                return;
            try {
                process.kill(-child.pid, 'SIGTERM');
            }
            catch {
                /* already gone */
            }
            setTimeout(() => {
                try {
                    process.kill(-child.pid, 'SIGKILL');
                }
                catch {
                    /* gone */
                }
            }, 3000).unref();
        };
        const timer = opts.timeoutMs
            ? setTimeout(() => {
                timedOut = true;
                kill();
            }, opts.timeoutMs)
            : undefined;
        const onAbort = () => kill();
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        const collect = (stream) => (chunk) => {
            const text = chunk.toString('utf8');
            out[stream] = (out[stream] + text).slice(-maxBuffer);
            if (opts.onLine) {
                const lines = (partial[stream] + text).split('\n');
                partial[stream] = lines.pop() ?? '';
                for (const line of lines)
                    opts.onLine(line, stream);
            }
        };
        child.stdout.on('data', collect('stdout'));
        child.stderr.on('data', collect('stderr'));
        child.on('error', (error) => {
            leftovers/* leftovers */.To.removeChild(child.pid);
            clearTimeout(timer);
            opts.signal?.removeEventListener('abort', onAbort);
            const code = error.code;
            reject(code === 'ENOENT'
                ? new errors/* PermanentError */.Dr(`${command}: not found on PATH; install it or set the path to it`, { cause: error })
                : error);
        });
        child.on('close', (exitCode, signal) => {
            leftovers/* leftovers */.To.removeChild(child.pid);
            clearTimeout(timer);
            opts.signal?.removeEventListener('abort', onAbort);
            for (const stream of ['stdout', 'stderr']) {
                if (partial[stream] && opts.onLine)
                    opts.onLine(partial[stream], stream);
            }
            if (opts.signal?.aborted)
                return reject((0,src_clock/* abortReason */.Js)(opts.signal));
            resolve({ command, exitCode, signal, ...out, durationMs: Date.now() - started, timedOut });
        });
        child.stdin.on('error', () => {
            /* the child may exit before reading its input */
        });
        child.stdin.end(opts.input ?? '');
    });
}
/** Like exec, but a non-zero exit or a timeout is an error carrying the tail of stderr. */
async function execChecked(command, args, opts = {}) {
    const result = await exec(command, args, opts);
    if (result.timedOut) {
        throw new TransientError(`${command} timed out after ${opts.timeoutMs}ms`);
    }
    if (result.exitCode !== 0) {
        const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join(' | ');
        throw new PermanentError(`${command} exited with ${result.exitCode ?? result.signal}${tail ? `: ${tail}` : ''}`);
    }
    return result;
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
;// CONCATENATED MODULE: ./packages/core/src/http.ts



/** Statuses worth retrying when the operation is idempotent. */
const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
/** A failed exchange; status is set when the server answered, code when the network failed. */
class HttpError extends errors/* ActionError */.lZ {
    status;
    retryAfterMs;
    code;
    constructor(kind, message, details = {}) {
        super(kind, message, { cause: details.cause });
        this.status = details.status;
        this.retryAfterMs = details.retryAfterMs;
        this.code = details.code;
    }
}
const agents = {
    http: new external_node_http_.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new external_node_https_.Agent({ keepAlive: true, maxSockets: 64 }),
};
/**
 * One HTTP client for the library, on node:http(s) rather than fetch because smoke checks and
 * registries need what fetch hides: exact timings, the peer certificate, raw repeated headers.
 */
async function request(req) {
    let url = new URL(req.url);
    let method = (req.method ?? 'GET').toUpperCase();
    let body = req.body;
    let headers = { ...req.headers };
    const started = performance.now();
    for (let redirects = 0;; redirects++) {
        const response = await once(url, method, headers, body, req, started);
        const location = response.headers.location;
        if (location && response.status >= 300 && response.status < 400 && redirects < (req.maxRedirects ?? 0)) {
            const next = new URL(location, url);
            if (next.origin !== url.origin)
                headers = withoutCredentials(headers, req.secrets);
            if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
                method = 'GET';
                body = undefined;
            }
            url = next;
            continue;
        }
        return response;
    }
}
/** Headers that carry a credential by definition (RFC 9110 and RFC 6265), plus the common API-key headers. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key']);
/** A header that must not follow a redirect to another origin: it is, or holds, a credential. */
function isCredentialHeader(name, value, secrets) {
    return CREDENTIAL_HEADERS.has(name.toLowerCase()) || Boolean(secrets?.contains(value));
}
function withoutCredentials(headers, secrets) {
    return Object.fromEntries(Object.entries(headers).filter(([name, value]) => !isCredentialHeader(name, value, secrets)));
}
function once(url, method, headers, body, req, started) {
    const isHttps = url.protocol === 'https:';
    if (!isHttps && url.protocol !== 'http:') {
        return Promise.reject(new errors/* PermanentError */.Dr(`unsupported URL scheme ${url.protocol} in ${url.origin}`));
    }
    const transport = isHttps ? external_node_https_ : external_node_http_;
    const customTls = isHttps && (req.insecure || req.ca || req.cert);
    const options = {
        method,
        headers: { 'user-agent': 'deploy-actions', ...headers },
        agent: customTls
            ? new external_node_https_.Agent({ rejectUnauthorized: !req.insecure, ca: req.ca, cert: req.cert, key: req.key })
            : isHttps
                ? agents.https
                : agents.http,
        signal: req.signal,
    };
    const maxBody = req.maxBodyBytes ?? 32 * 1024 * 1024;
    return new Promise((resolve, reject) => {
        const clientRequest = transport.request(url, options, (res) => {
            const chunks = [];
            const remoteAddress = res.socket?.remoteAddress;
            let size = 0;
            let certificate;
            const socket = res.socket;
            if (isHttps && typeof socket.getPeerCertificate === 'function') {
                const cert = socket.getPeerCertificate();
                if (cert && cert.valid_to) {
                    certificate = {
                        subject: formatName(cert.subject),
                        issuer: formatName(cert.issuer),
                        validFrom: new Date(cert.valid_from),
                        validTo: new Date(cert.valid_to),
                        serialNumber: cert.serialNumber
                            ?.toLowerCase()
                            .replace(/^(.(.{2})*)$/, '0$1')
                            .match(/.{2}/g)
                            ?.join(':'),
                    };
                }
            }
            res.on('data', (chunk) => {
                if (req.onData && (res.statusCode ?? 0) < 300)
                    return req.onData(chunk);
                size += chunk.length;
                if (size > maxBody) {
                    clientRequest.destroy(new errors/* PermanentError */.Dr(`${method} ${url.origin}${url.pathname}: response body over ${maxBody} bytes`));
                    return;
                }
                chunks.push(chunk);
            });
            res.on('error', reject);
            res.on('end', () => {
                clearTimeout(timer);
                const buffer = Buffer.concat(chunks);
                const rawHeaders = [];
                for (let i = 0; i < res.rawHeaders.length; i += 2)
                    rawHeaders.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
                const flat = {};
                for (const [name, value] of Object.entries(res.headers)) {
                    if (value !== undefined)
                        flat[name] = Array.isArray(value) ? value.join(', ') : value;
                }
                resolve({
                    url: url.toString(),
                    status: res.statusCode ?? 0,
                    headers: flat,
                    rawHeaders,
                    body: buffer,
                    text: () => buffer.toString('utf8'),
                    json: () => JSON.parse(buffer.toString('utf8')),
                    durationMs: performance.now() - started,
                    certificate,
                    httpVersion: res.httpVersion,
                    remoteAddress,
                });
            });
        });
        const timer = setTimeout(() => {
            clientRequest.destroy(new errors/* TransientError */.N_(`${method} ${url.origin}${url.pathname}: no complete response within ${req.timeoutMs}ms`));
        }, req.timeoutMs ?? 30_000);
        // A 101 Switching Protocols or a CONNECT reply never becomes a response: end with a clear error
        // instead of a promise that never settles (node would exit 0 with nothing reported).
        const switched = (what) => (res, socket) => {
            clearTimeout(timer);
            socket.destroy();
            reject(new errors/* PermanentError */.Dr(`${method} ${url.origin}${url.pathname}: ${what} (HTTP ${res.statusCode}) is unsupported`));
        };
        clientRequest.on('upgrade', switched('the server switched protocols'));
        clientRequest.on('connect', switched('a CONNECT tunnel'));
        clientRequest.on('error', (error) => {
            clearTimeout(timer);
            if (error instanceof errors/* PermanentError */.Dr || error instanceof errors/* TransientError */.N_)
                return reject(error);
            const where = `${method} ${url.origin}${url.pathname}`;
            const kind = (0,errors/* isTransient */.dg)(error) ? 'transient' : 'permanent';
            reject(new HttpError(kind, `${where}: ${error.code ?? error.message}`, { code: error.code, cause: error }));
        });
        if (body !== undefined)
            clientRequest.end(body);
        else
            clientRequest.end();
    });
}
function formatName(name) {
    if (!name || typeof name !== 'object')
        return '';
    return Object.entries(name)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
        .join(', ');
}
/** Turns a non-2xx response into an error whose kind says whether a retry may help. */
function statusError(response, what) {
    const retryAfter = parseRetryAfter(response.headers['retry-after']);
    const detail = response.text().slice(0, 300).replace(/\s+/g, ' ').trim();
    const kind = RETRYABLE_STATUSES.has(response.status) ? 'transient' : 'permanent';
    return new HttpError(kind, `${what}: HTTP ${response.status}${detail ? ` ${detail}` : ''}`, {
        status: response.status,
        retryAfterMs: retryAfter,
    });
}
function parseRetryAfter(value) {
    if (!value)
        return undefined;
    if (/^\d+$/.test(value.trim()))
        return Number(value.trim()) * 1000;
    const at = Date.parse(value);
    return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

// EXTERNAL MODULE: ./packages/core/src/markdown.ts
var markdown = __webpack_require__(4867);
;// CONCATENATED MODULE: ./packages/core/src/index.ts












/***/ })

};
