# Independent oracle: PaddleOCR's det pre/post-processing rules written against the real cv2 / pyclipper / shapely.
import sys, json, math
import numpy as np, cv2, pyclipper
from shapely.geometry import Polygon

def det_pre(img, limit=960, ltype='max', max_side=4000):
    h, w, _ = img.shape
    if h + w < 64:
        pad = np.zeros((max(32,h), max(32,w), 3), np.uint8); pad[:h,:w] = img; img = pad
    h, w, _ = img.shape
    if ltype == 'max':
        ratio = float(limit) / max(h, w) if max(h, w) > limit else 1.
    elif ltype == 'min':
        ratio = float(limit) / min(h, w) if min(h, w) < limit else 1.
    else:
        ratio = float(limit) / max(h, w)
    rh, rw = int(h * ratio), int(w * ratio)
    if max(rh, rw) > max_side:
        r = float(max_side) / max(rh, rw); rh, rw = int(rh * r), int(rw * r)
    rh = max(int(round(rh / 32) * 32), 32); rw = max(int(round(rw / 32) * 32), 32)
    img = cv2.resize(img, (rw, rh))
    scale = np.float32(1. / 255.)
    mean = np.array([0.485, 0.456, 0.406]).reshape((1, 1, 3)).astype('float32')
    std = np.array([0.229, 0.224, 0.225]).reshape((1, 1, 3)).astype('float32')
    x = (img.astype('float32') * scale - mean) / std
    return x.transpose((2, 0, 1))[None].copy()

def mini(contour):
    bb = cv2.minAreaRect(contour)
    pts = sorted(list(cv2.boxPoints(bb)), key=lambda x: x[0])
    if pts[1][1] > pts[0][1]: i1, i4 = 0, 1
    else: i1, i4 = 1, 0
    if pts[3][1] > pts[2][1]: i2, i3 = 2, 3
    else: i2, i3 = 3, 2
    return [pts[i1], pts[i2], pts[i3], pts[i4]], min(bb[1])

def score_fast(bitmap, _box):
    h, w = bitmap.shape[:2]
    box = _box.copy()
    xmin = np.clip(np.floor(box[:, 0].min()).astype(int), 0, w - 1)
    xmax = np.clip(np.ceil(box[:, 0].max()).astype(int), 0, w - 1)
    ymin = np.clip(np.floor(box[:, 1].min()).astype(int), 0, h - 1)
    ymax = np.clip(np.ceil(box[:, 1].max()).astype(int), 0, h - 1)
    mask = np.zeros((ymax - ymin + 1, xmax - xmin + 1), dtype=np.uint8)
    box[:, 0] = box[:, 0] - xmin
    box[:, 1] = box[:, 1] - ymin
    cv2.fillPoly(mask, box.reshape(1, -1, 2).astype(np.int32), 1)
    return cv2.mean(bitmap[ymin:ymax + 1, xmin:xmax + 1], mask)[0]

def post(pred, dw, dh, thresh=0.3, box_thresh=0.6, ratio=1.5):
    bitmap = pred > thresh
    height, width = bitmap.shape
    contours, _ = cv2.findContours((bitmap * 255).astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for contour in contours[:1000]:
        points, sside = mini(contour)
        if sside < 3: continue
        points = np.array(points)
        score = score_fast(pred, points.reshape(-1, 2))
        if box_thresh > score: continue
        poly = Polygon(points)
        d = poly.area * ratio / poly.length
        off = pyclipper.PyclipperOffset()
        off.AddPath(points, pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
        box = np.array(off.Execute(d)).reshape(-1, 1, 2)
        box, sside = mini(box)
        if sside < 5: continue
        box = np.array(box)
        box[:, 0] = np.clip(np.round(box[:, 0] / width * dw), 0, dw)
        box[:, 1] = np.clip(np.round(box[:, 1] / height * dh), 0, dh)
        out.append((box.astype(np.int16).tolist(), score))
    return out

if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'pre':
        img = cv2.imread(sys.argv[2]); np.save(sys.argv[3], det_pre(img))
    elif cmd == 'post':
        pred = np.load(sys.argv[2])[0, 0]; dw, dh = int(sys.argv[3]), int(sys.argv[4])
        for b, s in post(pred, dw, dh): print(json.dumps(b), round(s, 6))
