// The emitted C is one fixed body per layer (kLayerBody) under #defines that carry the layer,
// the chip and the schedule; the body reads nothing else. Units: words are integers, sizes are
// counts of words (cells: bytes, one cell per byte).
#include "tessel/codegen/cim_c.h"

#include <fmt/format.h>

#include <algorithm>

#include "tessel/common/error.h"

namespace tessel {
namespace {

std::int64_t Ceil(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// The body every layer file shares. FN(x) names the layer's functions; the #defines before it
// are the layer (per group C_ inputs, K_ filters), the chip and the schedule.
constexpr const char* kLayerBody = R"C(
#define RG_ (C_ * KH_ * KW_)            /* weight rows of one group */
#define GK_ (G_ * K_)                   /* filters of the layer */
#define IH_ ((OH_ - 1) * SH_ + (KH_ - 1) * DH_ + 1)
#define IW_ ((OW_ - 1) * SW_ + (KW_ - 1) * DW_ + 1)
#define CELL_MASK_ ((1u << CB_) - 1u)
#define DAC_MASK_ ((uint32_t)(((uint64_t)1 << DAC_) - 1u))

void FN(program)(const uint32_t* weights, uint8_t* cells) {
  memset(cells, 0, (size_t)ARRAYS_ * AR_ * AC_);
  for (int64_t g = 0; g < G_; ++g)
    for (int64_t k = 0; k < K_; ++k)
      for (int64_t r = 0; r < RG_; ++r) {
        const uint32_t w = weights[(g * K_ + k) * RG_ + r]; /* r = (c * KH + kh) * KW + kw */
        int64_t a, row, f;
        if (GPA_ > 1) { /* groups stacked block-diagonally */
          a = g / GPA_;
          row = (g % GPA_) * RG_ + r;
          f = (g % GPA_) * K_ + k;
        } else { /* the group's own arrays: row tile x column tile */
          a = (g * RT_ + r / ROWS_) * CT_ + k / FPA_;
          row = r % ROWS_;
          f = k % FPA_;
        }
        for (int64_t s = 0; s < SLICES_; ++s) /* least significant slice first */
          cells[(a * AR_ + row) * AC_ + f * SLICES_ + s] = (uint8_t)((w >> (s * CB_)) & CELL_MASK_);
      }
}

/* One input vector through every array of a copy, dac_bits at a time. x: the vector's G*RG
   inputs; psum: RT_ row tiles x GK_ partial sums, zeroed by the caller. */
static void FN(vector)(const uint8_t* cells, const uint32_t* x, uint64_t* psum,
                       tessel_cim_counts* counts) {
  uint64_t column[AC_];
  for (int64_t step = 0; step < STEPS_; ++step)
    for (int64_t a = 0; a < ARRAYS_; ++a) {
      int64_t rows, first_input, filters, first_filter, tile;
      if (GPA_ > 1) {
        const int64_t g0 = a * GPA_, groups = G_ - g0 < GPA_ ? G_ - g0 : GPA_;
        rows = groups * RG_, first_input = g0 * RG_;
        filters = groups * K_, first_filter = g0 * K_, tile = 0;
      } else {
        const int64_t g = a / (RT_ * CT_), rt = (a / CT_) % RT_, ct = a % CT_;
        rows = RG_ - rt * ROWS_ < ROWS_ ? RG_ - rt * ROWS_ : ROWS_;
        filters = K_ - ct * FPA_ < FPA_ ? K_ - ct * FPA_ : FPA_;
        first_input = g * RG_ + rt * ROWS_, first_filter = g * K_ + ct * FPA_, tile = rt;
      }
      /* The array read: every used row driven with its input's current DAC bits; each column
         sums cell x input over the rows. */
      counts->array_reads += 1;
      const int64_t columns = filters * SLICES_;
      memset(column, 0, sizeof(uint64_t) * (size_t)columns);
      const uint8_t* array = cells + a * AR_ * AC_;
      for (int64_t row = 0; row < rows; ++row) {
        const uint32_t d = (x[first_input + row] >> (step * DAC_)) & DAC_MASK_;
        if (d == 0) continue;
        const uint8_t* line = array + row * AC_;
        for (int64_t c = 0; c < columns; ++c) column[c] += (uint64_t)d * line[c];
      }
      /* One ADC conversion per used column; shift by slice and step, add into the row tile. */
      for (int64_t f = 0; f < filters; ++f)
        for (int64_t s = 0; s < SLICES_; ++s) {
          counts->adc_conversions += 1;
          psum[tile * GK_ + first_filter + f] += column[f * SLICES_ + s]
                                                 << (s * CB_ + step * DAC_);
        }
    }
}

void FN(run)(const uint8_t* cells, const uint32_t* input, uint64_t* output, int64_t sample,
             tessel_cim_counts* counts) {
  uint32_t* x = (uint32_t*)malloc(sizeof(uint32_t) * G_ * RG_);
  uint64_t* psum = (uint64_t*)malloc(sizeof(uint64_t) * RT_ * GK_);
  const int64_t all_rows = N_ * OH_, band_rows = (all_rows + PT_ - 1) / PT_;
  const int64_t copies_per_band = COPIES_ / PT_;
  int64_t order = 0;
  for (int64_t band = 0; band < PT_; ++band) { /* pixel tiles: bands of output rows */
    const int64_t row0 = band * band_rows;
    const int64_t row1 = row0 + band_rows < all_rows ? row0 + band_rows : all_rows;
    const int64_t vectors = row1 > row0 ? (row1 - row0) * OW_ : 0;
    const int64_t batches = (vectors + copies_per_band - 1) / copies_per_band;
    for (int64_t batch = 0; batch < batches; ++batch)
      for (int64_t copy = 0; copy < copies_per_band; ++copy) { /* copies work side by side */
        const int64_t v = batch * copies_per_band + copy;
        if (v >= vectors) continue;
        if (order++ % sample != 0) continue;
        const int64_t flat = row0 + v / OW_, n = flat / OH_, oh = flat % OH_, ow = v % OW_;
        for (int64_t g = 0; g < G_; ++g)
          for (int64_t c = 0; c < C_; ++c)
            for (int64_t i = 0; i < KH_; ++i)
              for (int64_t j = 0; j < KW_; ++j)
                x[g * RG_ + (c * KH_ + i) * KW_ + j] =
                    input[((n * G_ * C_ + g * C_ + c) * IH_ + oh * SH_ + i * DH_) * IW_ +
                          ow * SW_ + j * DW_];
        memset(psum, 0, sizeof(uint64_t) * RT_ * GK_);
        FN(vector)(cells, x, psum, counts);
        for (int64_t f = 0; f < GK_; ++f) { /* merge the row tiles' partial sums */
          uint64_t sum = 0;
          for (int64_t t = 0; t < RT_; ++t) sum += psum[t * GK_ + f];
          output[((n * GK_ + f) * OH_ + oh) * OW_ + ow] = sum;
        }
      }
  }
  free(x);
  free(psum);
}
)C";

constexpr const char* kDriver =
    R"C(/* Generated by tessel tune --emit-c: runs every layer on random unsigned inputs and weights,
   checks every computed output against a naive convolution, prints the counts.
   Usage: driver [sample [seed]]  (sample: compute every sample-th vector; default 1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tessel_cim.h"

static uint64_t state = 88172645463325252ull;
static uint32_t Random(int bits) { /* xorshift64 */
  state ^= state << 13, state ^= state >> 7, state ^= state << 17;
  return (uint32_t)(state >> 16) & (uint32_t)(((uint64_t)1 << bits) - 1);
}

typedef struct {
  const char* name;
  int64_t n, g, c, k, kh, kw, oh, ow, sh, sw, dh, dw, cell_bytes;
  void (*program)(const uint32_t*, uint8_t*);
  void (*run)(const uint8_t*, const uint32_t*, uint64_t*, int64_t, tessel_cim_counts*);
} Layer;

static int Check(const Layer* l, int64_t sample) {
  const int64_t ih = (l->oh - 1) * l->sh + (l->kh - 1) * l->dh + 1;
  const int64_t iw = (l->ow - 1) * l->sw + (l->kw - 1) * l->dw + 1;
  const int64_t in_words = l->n * l->g * l->c * ih * iw, w_words = l->g * l->k * l->c * l->kh * l->kw;
  const int64_t out_words = l->n * l->g * l->k * l->oh * l->ow;
  uint32_t* in = malloc(sizeof(uint32_t) * in_words);
  uint32_t* w = malloc(sizeof(uint32_t) * w_words);
  uint64_t* out = malloc(sizeof(uint64_t) * out_words);
  uint8_t* cells = malloc((size_t)l->cell_bytes);
  for (int64_t i = 0; i < in_words; ++i) in[i] = Random(TESSEL_CIM_INPUT_BITS);
  for (int64_t i = 0; i < w_words; ++i) w[i] = Random(TESSEL_CIM_WEIGHT_BITS);
  for (int64_t i = 0; i < out_words; ++i) out[i] = ~(uint64_t)0;
  tessel_cim_counts counts = {0, 0};
  l->program(w, cells);
  l->run(cells, in, out, sample, &counts);
  int64_t checked = 0, wrong = 0;
  for (int64_t n = 0; n < l->n; ++n)
    for (int64_t f = 0; f < l->g * l->k; ++f)
      for (int64_t y = 0; y < l->oh; ++y)
        for (int64_t x = 0; x < l->ow; ++x) {
          const uint64_t got = out[((n * l->g * l->k + f) * l->oh + y) * l->ow + x];
          if (got == ~(uint64_t)0) continue;
          const int64_t g = f / l->k;
          uint64_t want = 0;
          for (int64_t c = 0; c < l->c; ++c)
            for (int64_t i = 0; i < l->kh; ++i)
              for (int64_t j = 0; j < l->kw; ++j)
                want += (uint64_t)in[((n * l->g + g) * l->c + c) * ih * iw +
                                     (y * l->sh + i * l->dh) * iw + x * l->sw + j * l->dw] *
                        w[((f * l->c + c) * l->kh + i) * l->kw + j];
          ++checked;
          wrong += got != want;
        }
  printf("%s array_reads=%lld adc_conversions=%lld outputs_checked=%lld %s\n", l->name,
         (long long)counts.array_reads, (long long)counts.adc_conversions, (long long)checked,
         wrong ? "MISMATCH" : "OK");
  free(in), free(w), free(out), free(cells);
  return wrong != 0;
}

int main(int argc, char** argv) {
  const int64_t sample = argc > 1 ? atoll(argv[1]) : 1;
  if (argc > 2) state = (uint64_t)atoll(argv[2]) * 2654435761ull + 1;
  if (sample < 1) return 2;
  static const Layer layers[] = {
@LAYERS@  };
  int failed = 0;
  for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); ++i) failed |= Check(&layers[i], sample);
  return failed;
}
)C";

void CheckPrecisions(const CimArch& arch) {
  if (arch.cell_bits > 8)
    throw UserError(
        fmt::format("--emit-c: chip '{}' has cell_bits={}; the emitted code stores a cell in a "
                    "byte (at most 8)",
                    arch.name, arch.cell_bits));
  if (arch.weight_bits > 32 || arch.input_bits > 32)
    throw UserError(fmt::format(
        "--emit-c: chip '{}' has weight_bits={} and input_bits={}; the emitted code holds "
        "weights and inputs in 32 bits",
        arch.name, arch.weight_bits, arch.input_bits));
}

std::string LayerDefines(const CimCLayer& l, const CimArch& arch, const std::string& prefix) {
  const CimLayer& y = l.layer;
  const CimSchedule& s = l.schedule;
  const CimTiling t = TileCopy(y, s);
  std::string out = fmt::format("#define FN(x) {}##x\n", prefix);
  out += fmt::format(
      "/* The layer: batch, groups, per group input channels and filters, kernel, output, "
      "stride, dilation. */\n#define N_ {}\n#define G_ {}\n#define C_ {}\n#define K_ {}\n"
      "#define KH_ {}\n#define KW_ {}\n#define OH_ {}\n#define OW_ {}\n#define SH_ {}\n"
      "#define SW_ {}\n#define DH_ {}\n#define DW_ {}\n",
      y.batch, y.groups, y.in_channels, y.out_channels, y.kernel_h, y.kernel_w, y.out_h, y.out_w,
      y.stride_h, y.stride_w, y.dilation_h, y.dilation_w);
  out += fmt::format(
      "/* The chip: array rows and columns, cell bits, slices per weight, DAC bits, steps. */\n"
      "#define AR_ {}\n#define AC_ {}\n#define CB_ {}\n#define SLICES_ {}\n#define DAC_ {}\n"
      "#define STEPS_ {}\n",
      arch.array_rows, arch.array_cols, arch.cell_bits, arch.WeightSlices(), arch.dac_bits,
      arch.InputSteps());
  out += fmt::format(
      "/* The schedule: rows_used, filters_per_array, row and column tiles per group, "
      "groups_per_array, arrays per copy, copies, pixel_tiles. */\n#define ROWS_ {}\n"
      "#define FPA_ {}\n#define RT_ {}\n#define CT_ {}\n#define GPA_ {}\n#define ARRAYS_ {}\n"
      "#define COPIES_ {}\n#define PT_ {}\n",
      s.rows_used, s.filters_per_array, t.row_tiles, t.column_tiles, t.groups_per_array,
      t.arrays_per_copy, s.copies, s.pixel_tiles);
  return out;
}

std::string HeaderEntry(const CimCLayer& l, const CimArch& arch, const std::string& p) {
  const CimLayer& y = l.layer;
  const CimTiling t = TileCopy(y, l.schedule);
  return fmt::format(
      "\n/* Layer '{}': input [N][G*C][IH][IW], weights [G*K][C][KH][KW], output "
      "[N][G*K][OH][OW]. */\n"
      "#define {p}INPUT_WORDS {}\n#define {p}WEIGHT_WORDS {}\n#define {p}OUTPUT_WORDS {}\n"
      "#define {p}CELL_BYTES {}\n#define {p}VECTORS {}\n"
      "void {p}program(const uint32_t* weights, uint8_t* cells);\n"
      "void {p}run(const uint8_t* cells, const uint32_t* input, uint64_t* output, int64_t sample,\n"
      "            tessel_cim_counts* counts);\n",
      y.name, y.InputWords(), y.TotalFilters() * y.WeightRows(),
      y.OutputVectors() * y.TotalFilters(), t.arrays_per_copy * arch.array_rows * arch.array_cols,
      y.OutputVectors(), fmt::arg("p", p));
}

std::string DriverEntry(const CimCLayer& l, const CimArch& arch, const std::string& p) {
  const CimLayer& y = l.layer;
  const CimTiling t = TileCopy(y, l.schedule);
  return fmt::format(
      "      {{\"{}\", {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {p}program, {p}run}},\n",
      y.name, y.batch, y.groups, y.in_channels, y.out_channels, y.kernel_h, y.kernel_w, y.out_h,
      y.out_w, y.stride_h, y.stride_w, y.dilation_h, y.dilation_w,
      t.arrays_per_copy * arch.array_rows * arch.array_cols, fmt::arg("p", p));
}

}  // namespace

std::string CimCPrefix(int index, const std::string& name) {
  std::string out = fmt::format("l{:02}_", index);
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += ok ? c : '_';
  }
  return out + "_";
}

std::vector<CimCLayer> CimCLayersOf(const Workload& workload, const CimNetworkResult& result,
                                    const std::string& model_name) {
  const CimMode mode = model_name == "cim-refined" ? CimMode::kRefined : CimMode::kFormula;
  std::vector<const CimStage*> stages;
  for (const CimStage& s : result.tuned) stages.push_back(&s);
  for (const CimStage& s : result.streamed) stages.push_back(&s);
  std::stable_sort(stages.begin(), stages.end(),
                   [](const CimStage* a, const CimStage* b) { return a->layer < b->layer; });
  std::vector<CimCLayer> out;
  for (const CimStage* s : stages) {
    CimCLayer l;
    ToCimLayer(workload.layer(s->layer).problem, &l.layer);
    // Knobs by name; those the model does not have keep CimSchedule's defaults (1).
    for (const auto& [name, value] : s->schedule.knobs) {
      if (name == kKnobRowsUsed) l.schedule.rows_used = value;
      if (name == kKnobFiltersPerArray) l.schedule.filters_per_array = value;
      if (name == kKnobCopies && mode == CimMode::kRefined) l.schedule.copies = value;
      if (name == kKnobPes) l.schedule.pes = value;
      if (name == kKnobCus) l.schedule.cus = value;
      if (name == kKnobPixelTiles && mode == CimMode::kRefined) l.schedule.pixel_tiles = value;
      if (name == kKnobGroupsPerArray) l.schedule.groups_per_array = value;
    }
    out.push_back(l);
  }
  return out;
}

std::vector<EmittedFile> EmitCimC(std::span<const CimCLayer> layers, const CimArch& arch) {
  CheckPrecisions(arch);
  std::string header = fmt::format(
      "/* Generated by tessel tune --emit-c for chip '{}'. Integer arithmetic only. */\n"
      "#ifndef TESSEL_CIM_H_\n#define TESSEL_CIM_H_\n\n#include <stdint.h>\n\n"
      "#define TESSEL_CIM_INPUT_BITS {}\n#define TESSEL_CIM_WEIGHT_BITS {}\n\n"
      "/* What a run performed: crossbar array reads and ADC conversions. */\n"
      "typedef struct {{\n  int64_t array_reads;\n  int64_t adc_conversions;\n}} "
      "tessel_cim_counts;\n",
      arch.name, arch.input_bits, arch.weight_bits);
  std::vector<EmittedFile> files;
  std::string driver_layers;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::string prefix = CimCPrefix(static_cast<int>(i), layers[i].layer.name);
    header += HeaderEntry(layers[i], arch, prefix);
    driver_layers += DriverEntry(layers[i], arch, prefix);
    files.push_back(
        {prefix.substr(0, prefix.size() - 1) + ".c",
         fmt::format("/* Generated by tessel tune --emit-c: layer '{}' on chip '{}'. */\n"
                     "#include <stdlib.h>\n#include <string.h>\n\n#include \"tessel_cim.h\"\n\n",
                     layers[i].layer.name, arch.name) +
             LayerDefines(layers[i], arch, prefix) + kLayerBody});
  }
  header += "\n#endif /* TESSEL_CIM_H_ */\n";
  std::string driver = kDriver;
  driver.replace(driver.find("@LAYERS@"), 8, driver_layers);
  files.insert(files.begin(), {{"tessel_cim.h", header}, {"driver.c", driver}});
  return files;
}

}  // namespace tessel
