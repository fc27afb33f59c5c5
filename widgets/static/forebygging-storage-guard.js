/* Forebyggingshåndboka: the pages with interactive checks store nothing, not even the theme's
 * light/dark preference. Loaded synchronously in <head>, before the theme's deferred scripts,
 * as a file rather than an inline script so a Content-Security-Policy needs no 'unsafe-inline'. */
try { Storage.prototype.setItem = function () {}; } catch (e) { /* storage unavailable: nothing to guard */ }
