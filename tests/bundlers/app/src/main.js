// The small SPA every bundler builds (tests/bundlers/run.mjs) and the Django end-to-end test
// serves: who is logged in and for how long (the companion pocket-spa-session cookie, the token
// cookie itself being HttpOnly), a Cognito-style JWT decoded in token order with its expiry,
// and whether a media URL is covered by a CloudFront policy resource.
import {
  init, session, sessionExpiresIn, decodeJwt, jwtExpiresIn, resourceMatches, version, PocketSignError,
} from 'pocket-sign/spa';

// {"alg":"RS256","kid":"k1"} . {"sub":"s-1","exp":4102444800,"aud":"a","iat":1700000000} . "sig"
const ID_TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJzLTEiLCJleHAiOjQxMDI0NDQ4MDAsImF1ZCI6ImEiLCJpYXQiOjE3MDAwMDAwMDB9.c2ln';

const out = document.getElementById('out');

function render() {
  const s = session();
  const left = sessionExpiresIn();
  const jwt = decodeJwt(ID_TOKEN);
  out.textContent = s ? `Signed in as ${s.userId}, ${left} s left` : 'Signed out';
  out.dataset.state = 'ready';
  out.dataset.result = JSON.stringify({
    user: s ? s.userId : null,
    left,
    claimOrder: Object.keys(jwt.payload),
    jwtLeft: jwtExpiresIn(ID_TOKEN, 1700000000),
    covered: resourceMatches('https://d.example/media/*', 'https://d.example/media/a.mp4'),
    notCovered: resourceMatches('https://d.example/media/*', 'https://d.example/private/a.mp4'),
    version: version(),
  });
}

init().then(render, (e) => {
  out.textContent = `${e instanceof PocketSignError ? e.kind : 'unexpected'}: ${e.message}`;
  out.dataset.state = 'error';
  out.dataset.kind = e.kind;
});
