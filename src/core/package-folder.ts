import * as fs from 'fs';
import * as path from 'path';

/**
 * A folder shipped beside this package's package.json (`broker/`, `mcp-bridge/`), found from
 * source or from dist by a file it must hold.
 */
export function packageFolder(folder: string, marker: string): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (
      fs.existsSync(path.join(dir, folder, marker)) &&
      fs.existsSync(path.join(dir, 'package.json'))
    ) {
      return path.join(dir, folder);
    }
  }
  throw new Error(`cannot find the ${folder} folder of cdktf-openclaw`);
}
