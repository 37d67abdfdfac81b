/**
 * The 3-D loss surface (the only file that imports three.js), in the three.js examples' anatomy:
 * renderer, camera, orbit controls and lights in the constructor; setters for the terrain
 * (webgl_geometry_terrain: heights written into a position attribute), the trajectories and the
 * step anatomy; resize, render, dispose.
 *
 * Coordinates: a domain point (x, y) with unit height h ∈ [0, 1] (the page's HeightScale) maps to
 * scene (X, Y, Z) = ((x − cx)·s, h·HEIGHT, −(y − cy)·s), s = 2 / longer side of the domain, so
 * the surface fills a 2-unit box with y running away from the default camera.
 *
 * It renders on demand (after a change or an orbit), coalesced to one render per frame: software
 * WebGL has no frames to spare.
 */
import {
  AmbientLight,
  BufferAttribute,
  BufferGeometry,
  Color,
  DirectionalLight,
  DoubleSide,
  Group,
  Mesh,
  MeshLambertMaterial,
  PerspectiveCamera,
  Scene,
  SphereGeometry,
  Spherical,
  MeshBasicMaterial,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { Line2 } from 'three/addons/lines/Line2.js';
import { LineGeometry } from 'three/addons/lines/LineGeometry.js';
import { LineMaterial } from 'three/addons/lines/LineMaterial.js';

/** A domain point with its unit height: [x, y, h]. */
export type SurfacePoint = [number, number, number];

export interface SurfaceField {
  nx: number;
  ny: number;
  domain: [[number, number], [number, number]];
  /** unit heights, row-major from y_min (the FieldGrid layout) */
  heights: Float32Array;
  /** CSS colour of a unit height */
  color: (h: number) => string;
}

/** A polyline on the surface, or an arrow when `arrow` is set (the last segment gets a head). */
export interface SurfaceLine {
  points: SurfacePoint[];
  color: string;
  width: number;
  dashed?: boolean;
  /** a dot at the last point */
  dot?: boolean;
}

const HEIGHT = 0.9;
/** lines float this far above the mesh so the linear facets do not swallow them */
const LIFT = 0.025;

export class SurfaceScene {
  readonly #renderer: WebGLRenderer;
  readonly #scene = new Scene();
  readonly #camera: PerspectiveCamera;
  readonly #controls: OrbitControls;
  #mesh: Mesh<BufferGeometry, MeshLambertMaterial> | null = null;
  readonly #overlays = new Group();
  #frame = 0;
  #size: [number, number] = [1, 1];
  #centre: [number, number] = [0, 0];
  #s = 1;
  #trajectories: SurfaceLine[] = [];
  // Materials are kept for the scene's life: disposing one frees its shader program, and software
  // WebGL takes ~100 ms to compile it again on the next update.
  readonly #lineMaterials = new Map<string, LineMaterial>();
  readonly #dotMaterials = new Map<string, MeshBasicMaterial>();
  readonly #dot = new SphereGeometry(0.03, 12, 8);
  #anatomy: SurfaceLine[] = [];

  constructor(canvas: HTMLCanvasElement) {
    // renderer: preserveDrawingBuffer so the PNG exports can read the last frame
    // no MSAA: it multiplies the fill cost of software WebGL, and the fat lines antialias themselves
    this.#renderer = new WebGLRenderer({ canvas, antialias: false, preserveDrawingBuffer: true });
    this.#renderer.setPixelRatio(Math.min(2, globalThis.devicePixelRatio ?? 1));
    this.#scene.background = new Color('#f4f5f8');

    // camera
    this.#camera = new PerspectiveCamera(40, 1, 0.05, 50);
    this.#camera.position.set(0.15, 2.9, 2.2);

    // controls
    this.#controls = new OrbitControls(this.#camera, canvas);
    this.#controls.target.set(0, 0.25, 0.1);
    this.#controls.enableDamping = false;
    this.#controls.addEventListener('change', () => this.requestRender());
    this.#controls.update();

    // lights
    this.#scene.add(new AmbientLight(0xffffff, 1.6));
    const sun = new DirectionalLight(0xffffff, 1.6);
    sun.position.set(2, 4, 3);
    this.#scene.add(sun);

    this.#scene.add(this.#overlays);
  }

  /** Domain point → scene position. */
  #at(p: SurfacePoint, lift = LIFT): [number, number, number] {
    return [
      (p[0] - this.#centre[0]) * this.#s,
      p[2] * HEIGHT + lift,
      -(p[1] - this.#centre[1]) * this.#s,
    ];
  }

  /** Replaces the terrain. */
  setField(field: SurfaceField) {
    const { nx, ny, heights, domain } = field;
    const [[x0, x1], [y0, y1]] = domain;
    this.#centre = [(x0 + x1) / 2, (y0 + y1) / 2];
    this.#s = 2 / Math.max(x1 - x0, y1 - y0);
    const positions = new Float32Array(nx * ny * 3);
    const colors = new Float32Array(nx * ny * 3);
    const c = new Color();
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const k = j * nx + i;
        const h = heights[k];
        const [X, Y, Z] = this.#at(
          [x0 + ((i + 0.5) * (x1 - x0)) / nx, y0 + ((j + 0.5) * (y1 - y0)) / ny, h],
          0,
        );
        positions.set([X, Y, Z], 3 * k);
        c.setStyle(field.color(h));
        colors.set([c.r, c.g, c.b], 3 * k);
      }
    }
    const index: number[] = [];
    for (let j = 0; j < ny - 1; j++) {
      for (let i = 0; i < nx - 1; i++) {
        const a = j * nx + i;
        index.push(a, a + 1, a + nx, a + 1, a + nx + 1, a + nx);
      }
    }
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(positions, 3));
    geometry.setAttribute('color', new BufferAttribute(colors, 3));
    geometry.setIndex(index);
    geometry.computeVertexNormals();
    if (this.#mesh) {
      this.#mesh.geometry.dispose();
      this.#mesh.geometry = geometry;
    } else {
      // polygonOffset pushes the terrain back so the lines on it win the depth test
      const material = new MeshLambertMaterial({
        vertexColors: true,
        side: DoubleSide,
        polygonOffset: true,
        polygonOffsetFactor: 1,
        polygonOffsetUnits: 1,
      });
      this.#mesh = new Mesh(geometry, material);
      this.#scene.add(this.#mesh);
    }
    this.#rebuildOverlays();
  }

  /** One line per run of the race (the start marker is the first point of each). */
  setTrajectories(lines: SurfaceLine[]) {
    this.#trajectories = lines;
    this.#rebuildOverlays();
  }

  /** The step anatomy's vectors, already cut to the current phase. */
  setAnatomy(lines: SurfaceLine[]) {
    this.#anatomy = lines;
    this.#rebuildOverlays();
  }

  #rebuildOverlays() {
    for (const child of [...this.#overlays.children]) {
      this.#overlays.remove(child);
      if (child instanceof Line2) child.geometry.dispose();
    }
    for (const line of [...this.#trajectories, ...this.#anatomy]) {
      const flat: number[] = [];
      for (const p of line.points) flat.push(...this.#at(p));
      if (flat.length >= 6) {
        const geometry = new LineGeometry();
        geometry.setPositions(flat);
        const l = new Line2(geometry, this.#lineMaterial(line));
        if (line.dashed) l.computeLineDistances();
        this.#overlays.add(l);
      }
      if (line.dot && line.points.length > 0) {
        let material = this.#dotMaterials.get(line.color);
        if (!material)
          this.#dotMaterials.set(
            line.color,
            (material = new MeshBasicMaterial({ color: line.color })),
          );
        const dot = new Mesh(this.#dot, material);
        dot.position.set(...this.#at(line.points[line.points.length - 1]));
        this.#overlays.add(dot);
      }
    }
    this.requestRender();
  }

  #lineMaterial(line: SurfaceLine): LineMaterial {
    const key = `${line.color}|${line.width}|${line.dashed ?? false}`;
    let material = this.#lineMaterials.get(key);
    if (!material) {
      material = new LineMaterial({
        color: new Color(line.color).getHex(),
        linewidth: line.width,
        dashed: line.dashed ?? false,
        dashSize: 0.04,
        gapSize: 0.03,
      });
      material.resolution.set(this.#size[0], this.#size[1]);
      this.#lineMaterials.set(key, material);
    }
    return material;
  }

  resize(width: number, height: number) {
    if (width <= 0 || height <= 0) return;
    this.#size = [width, height];
    this.#renderer.setSize(width, height, false);
    this.#camera.aspect = width / height;
    this.#camera.updateProjectionMatrix();
    for (const m of this.#lineMaterials.values()) m.resolution.set(width, height);
    this.render();
  }

  /**
   * Renders at the next frame (many changes in one frame render once). A dragged slider does not
   * come here on every input: the page hands this view its data once the drag pauses
   * (lib/pageState/coalesce.ts), since software WebGL takes 50–150 ms for a frame.
   */
  requestRender() {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.render();
    });
  }

  render() {
    this.#renderer.render(this.#scene, this.#camera);
  }

  /**
   * The canvas with the scene as it is now: rendered at once (a render waiting for its frame is
   * not waited for), so an export never reads an older frame. preserveDrawingBuffer keeps the
   * pixels readable (drawImage, toBlob) until the next render.
   */
  snapshot(): HTMLCanvasElement {
    this.render();
    return this.#renderer.domElement;
  }

  /**
   * Orbits the camera about its target by dTheta (around the vertical) and dPhi (towards or away
   * from overhead), radians, and moves it `zoom` times as far: the keyboard's way to do what a
   * drag and the wheel do.
   */
  orbitBy(dTheta: number, dPhi: number, zoom = 1) {
    const target = this.#controls.target;
    const offset = this.#camera.position.clone().sub(target);
    const s = new Spherical().setFromVector3(offset);
    s.theta += dTheta;
    s.phi = Math.min(Math.PI / 2 - 0.02, Math.max(0.05, s.phi + dPhi));
    s.radius = Math.min(8, Math.max(0.8, s.radius * zoom));
    this.#camera.position.copy(target).add(offset.setFromSpherical(s));
    this.#controls.update();
  }

  dispose() {
    this.setTrajectories([]);
    this.setAnatomy([]);
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#controls.dispose();
    this.#mesh?.geometry.dispose();
    this.#mesh?.material.dispose();
    for (const m of this.#lineMaterials.values()) m.dispose();
    for (const m of this.#dotMaterials.values()) m.dispose();
    this.#dot.dispose();
    this.#renderer.dispose();
  }
}

/**
 * An {@attach} for a canvas: makes the scene, keeps it sized to the canvas, and disposes it when
 * the canvas goes; `onscene` receives the scene, then null. Without WebGL (blocked, or a lost
 * context) `onerror` gets the reason and the rest of the page goes on without the 3-D view.
 */
export function attachSurface(
  onscene: (scene: SurfaceScene | null) => void,
  onerror: (message: string) => void,
): (canvas: HTMLCanvasElement) => () => void {
  return (canvas) => {
    let scene: SurfaceScene;
    try {
      scene = new SurfaceScene(canvas);
    } catch (e) {
      onerror(
        `The 3-D view needs WebGL, which this browser does not provide (${e instanceof Error ? e.message : String(e)}).`,
      );
      return () => {};
    }
    const observer = new ResizeObserver(([entry]) =>
      scene.resize(entry.contentRect.width, entry.contentRect.height),
    );
    observer.observe(canvas);
    onscene(scene);
    return () => {
      observer.disconnect();
      scene.dispose();
      onscene(null);
    };
  };
}

/** A sampled field (values row-major from y_min) as the terrain: heights mapped to [0, 1] by `toUnit`. */
export function fieldOf(
  grid: {
    nx: number;
    ny: number;
    domain: [[number, number], [number, number]];
    values: ArrayLike<number>;
  },
  toUnit: (f: number) => number,
  color: (h: number) => string,
): SurfaceField {
  const heights = new Float32Array(grid.values.length);
  for (let k = 0; k < heights.length; k++) heights[k] = toUnit(grid.values[k]);
  return { nx: grid.nx, ny: grid.ny, domain: grid.domain, heights, color };
}
