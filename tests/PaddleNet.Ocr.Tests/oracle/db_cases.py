import numpy as np, cv2, json
from db_oracle import post
def show(name, m, dw, dh, **kw):
    print(name, json.dumps([(b, round(s, 6)) for b, s in post(m, dw, dh, **kw)]))
m = np.zeros((60, 100), np.float32); m[10:30, 20:60] = 0.9
show('rect', m, 100, 60)
show('rect_x2', m, 200, 120)
m2 = np.zeros((60, 100), np.float32); m2[0:10, 0:30] = 0.8
show('border', m2, 100, 60)
m3 = np.zeros((80, 120), np.float32)
cv2.fillPoly(m3, np.array([[[20, 40], [80, 10], [90, 30], [30, 60]]], np.int32), 0.95)
show('rotated', m3, 120, 80)
show('empty', np.zeros((32, 32), np.float32), 32, 32)
m4 = np.zeros((60, 100), np.float32); m4[10:30, 20:60] = 0.5
show('lowscore', m4, 100, 60)
m5 = np.zeros((60, 100), np.float32); m5[10:12, 20:60] = 0.9
show('thin', m5, 100, 60)
