// Which methods the application's routes answer on a path: a wrong method on a known path is a
// 405 with `Allow`, an unknown path a 404.
interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
  match(path: string): boolean;
}

interface ExpressLike {
  router?: { stack: RouteLayer[] };
}

export function allowedMethods(app: unknown, path: string): string[] {
  const stack = (app as ExpressLike).router?.stack ?? [];
  const methods = new Set<string>();
  for (const layer of stack) {
    // Wildcard routes are middleware mounted for every method (request logging), not endpoints.
    if (!layer.route || layer.route.path.includes('*')) continue;
    let matches: boolean;
    try {
      matches = layer.match(path);
    } catch {
      matches = false; // a malformed escape in the path: not a match
    }
    if (!matches) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
