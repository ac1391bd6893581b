import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng, type RgbaImage } from './png';
import { projectRoot } from './projectRoot';

/*
 * Draws the two app icons Teams asks for: color.png (192x192, full colour) and outline.png (32x32, white on
 * transparent). The PNGs are committed; run this again only to change the design:
 *   npx tsc -p tsconfig.build.json && node dist/manifest/icons.js
 */

/** The app's accent colour; the manifest's accentColor uses the same value. */
export const ACCENT = { r: 0x0f, g: 0x6c, b: 0xbd } as const;

type Rgb = { readonly r: number; readonly g: number; readonly b: number };
/** Which colour a point of the unit square (0..1 both ways, y down) has, or undefined for transparent. */
type Paint = (x: number, y: number) => Rgb | undefined;

const WHITE: Rgb = { r: 255, g: 255, b: 255 };
const SUBSAMPLES = 8;

interface KeyShape {
  /** Size of the key relative to the icon. */
  readonly scale: number;
  /** Half the thickness of the shaft and the teeth, in key units. */
  readonly halfWidth: number;
  readonly bowRadius: number;
  readonly holeRadius: number;
}

/** A key lying along the diagonal, bow at the top left, in key units centred on (0, 0). */
function insideKey(shape: KeyShape, x: number, y: number): boolean {
  const u = (x - 0.5) / shape.scale;
  const v = (y - 0.5) / shape.scale;
  // Rotate by 45 degrees so the key's length runs from top left to bottom right.
  const a = (u + v) / Math.SQRT2;
  const b = (v - u) / Math.SQRT2;
  const w = shape.halfWidth;
  const bowX = -0.5 + shape.bowRadius;
  const fromBow = Math.hypot(a - bowX, b);
  if (fromBow < shape.holeRadius) return false;
  const bow = fromBow <= shape.bowRadius;
  const shaft = a >= bowX && a <= 0.5 && Math.abs(b) <= w;
  const toothDepth = 2.6 * w;
  const tooth = (from: number) => a >= from && a <= from + 2 * w && b >= 0 && b <= toothDepth;
  return bow || shaft || tooth(0.5 - 2 * w) || tooth(0.5 - 5.5 * w);
}

function insideRoundedSquare(x: number, y: number, radius: number): boolean {
  const dx = Math.max(radius - x, x - (1 - radius), 0);
  const dy = Math.max(radius - y, y - (1 - radius), 0);
  return dx * dx + dy * dy <= radius * radius;
}

/** Renders with SUBSAMPLES x SUBSAMPLES samples a pixel, so edges are smooth. */
function rasterize(size: number, paint: Paint): RgbaImage {
  const rgba = new Uint8Array(size * size * 4);
  const samples = SUBSAMPLES * SUBSAMPLES;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < SUBSAMPLES; sy++) {
        for (let sx = 0; sx < SUBSAMPLES; sx++) {
          const colour = paint((px + (sx + 0.5) / SUBSAMPLES) / size, (py + (sy + 0.5) / SUBSAMPLES) / size);
          if (!colour) continue;
          r += colour.r;
          g += colour.g;
          b += colour.b;
          covered++;
        }
      }
      if (covered === 0) continue;
      rgba.set(
        [
          Math.round(r / covered),
          Math.round(g / covered),
          Math.round(b / covered),
          Math.round((255 * covered) / samples),
        ],
        (py * size + px) * 4,
      );
    }
  }
  return { width: size, height: size, rgba };
}

/** 192x192: a white key on a rounded square in the accent colour. */
export function drawColorIcon(): RgbaImage {
  const key: KeyShape = { scale: 0.7, halfWidth: 0.055, bowRadius: 0.19, holeRadius: 0.085 };
  return rasterize(192, (x, y) => {
    if (!insideRoundedSquare(x, y, 0.2)) return undefined;
    return insideKey(key, x, y) ? WHITE : ACCENT;
  });
}

/** 32x32: the same key in white on a transparent background, drawn bolder so it reads at that size. */
export function drawOutlineIcon(): RgbaImage {
  const key: KeyShape = { scale: 0.94, halfWidth: 0.08, bowRadius: 0.22, holeRadius: 0.1 };
  const image = rasterize(32, (x, y) => (insideKey(key, x, y) ? WHITE : undefined));
  // Transparent pixels are written white too, so every pixel's colour is white and only alpha varies.
  for (let i = 0; i < image.rgba.length; i += 4) image.rgba.set([255, 255, 255], i);
  return image;
}

if (require.main === module) {
  const dir = join(projectRoot(), 'manifest');
  writeFileSync(join(dir, 'color.png'), encodePng(drawColorIcon()));
  writeFileSync(join(dir, 'outline.png'), encodePng(drawOutlineIcon()));
  process.stdout.write(`Wrote ${join(dir, 'color.png')} and ${join(dir, 'outline.png')}\n`);
}
