package dev.autopilot.runtime.flink.embedded;

/**
 * Taxi-trip records of the embedded job: the CSV line the source emits and the parsed trip. The
 * line is a pure function of (partition, offset), so a replay after a restore emits the same trips.
 */
public final class TaxiTrips {
  /** NYC taxi zones (as in the TLC zone map). */
  public static final int ZONES = 263;

  /** Trips one taxi makes in a row in a partition (a shift, closed by the session window). */
  public static final int TRIPS_PER_SHIFT = 8;

  private static final String[] BOROUGHS = {
    "Manhattan", "Brooklyn", "Queens", "Bronx", "Staten Island", "EWR"
  };

  private TaxiTrips() {}

  /** The CSV line of the trip at (partition, offset), produced at {@code nowMillis}. */
  static String line(int partition, long offset, long nowMillis) {
    long h = mix(partition * 0x9E3779B97F4A7C15L + offset);
    long tripId = ((long) partition << 40) | offset;
    long taxiId = ((long) partition << 36) | (offset / TRIPS_PER_SHIFT);
    int pickup = 1 + (int) Math.floorMod(h, ZONES);
    int dropoff = 1 + (int) Math.floorMod(h >>> 9, ZONES);
    int distance = (int) Math.floorMod(h >>> 18, 15_000L);
    long fare = 250 + distance / 4 + Math.floorMod(h >>> 33, 500L);
    int passengers = 1 + (int) Math.floorMod(h >>> 45, 4L);
    return tripId
        + ","
        + taxiId
        + ","
        + pickup
        + ","
        + dropoff
        + ","
        + fare
        + ","
        + distance
        + ","
        + passengers
        + ","
        + nowMillis;
  }

  static String borough(int zone) {
    return BOROUGHS[Math.floorMod(zone * 31, BOROUGHS.length)];
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A parsed, enriched trip (a Flink POJO: public fields, no-arg constructor). */
  public static final class Trip {
    public long tripId;
    public long taxiId;
    public int pickupZone;
    public int dropoffZone;
    public long fareCents;
    public int distanceMeters;
    public int passengers;
    public long producedAtMillis;
    public String borough;
    public double farePerKm;
    public long tipCents;

    public Trip() {}

    /** Parses a source line; throws IllegalArgumentException on a malformed one. */
    static Trip parse(String line) {
      String[] f = line.split(",", -1);
      if (f.length != 8) {
        throw new IllegalArgumentException("malformed trip record: " + line);
      }
      Trip t = new Trip();
      t.tripId = Long.parseLong(f[0]);
      t.taxiId = Long.parseLong(f[1]);
      t.pickupZone = Integer.parseInt(f[2]);
      t.dropoffZone = Integer.parseInt(f[3]);
      t.fareCents = Long.parseLong(f[4]);
      t.distanceMeters = Integer.parseInt(f[5]);
      t.passengers = Integer.parseInt(f[6]);
      t.producedAtMillis = Long.parseLong(f[7]);
      return t;
    }
  }
}
